// Package fakeapi is an in-memory Kubernetes API server for tests.
//
// It speaks the Kubernetes REST and list/watch protocol over real HTTP
// (net/http/httptest): the same URL layout, verbs, status codes, metav1.Status
// errors, resourceVersion semantics, continue tokens and chunked watch
// streams as kube-apiserver, so that skiff's client, informers and leader
// election can be tested against the wire protocol rather than a Go fake.
//
// Objects are stored as JSON, under one global revision counter as etcd
// keeps it; every change is kept in a history until Compact, so watches and
// paginated lists can start from any revision after the last compaction.
// Built-in kinds are decoded through their k8s.io/api Go types on every
// write, as upstream's typed storage does, so unknown fields are dropped and
// a body that does not fit the type is a 400.
//
// Faults for tests: DropWatchesAfter, Compact, FailNext,
// CloseClientConnections. Observation: Requests, Objects, Get; seeding: Put,
// Delete.
//
//	srv := fakeapi.New(t)
//	srv.Put(fakeapi.Pods, pod)
//	resp, err := http.Get(srv.URL() + "/api/v1/namespaces/default/pods?watch=1")
package fakeapi
