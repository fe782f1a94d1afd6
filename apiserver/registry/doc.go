// Package registry is the one generic store behind every resource the
// apiserver serves. A Resource describes a kind (its names, scope, storage
// prefix and Strategy); a Store applies the API's rules to it — names,
// uid, timestamps, generation, validation, resourceVersion preconditions,
// graceful deletion, finalizers — and keeps it in etcd through package
// storage, serving lists and watches from the watch cache.
//
// Errors are the API's (*apierrors.StatusError): storage's sentinels are
// translated here, with the resource and the object's name.
//
// Kinds render kubectl get's tables with Rows: their columns and a
// function from one object to its cells.
package registry
