package fakeapi

import (
	"net/http"
	"strconv"
	"testing"
)

func TestDelete(t *testing.T) {
	srv := New(t)
	p := put(t, srv, Pods, pod("default", "p", nil))
	cm := put(t, srv, ConfigMaps, configMap("default", "c", nil))

	r := do(t, srv, http.MethodDelete, "/api/v1/namespaces/default/pods/p", "", "")
	rv, _ := strconv.ParseInt(r.str("metadata.resourceVersion"), 10, 64)
	if r.code != http.StatusOK || r.str("kind") != "Pod" || r.str("metadata.uid") != string(p.GetUID()) || rv != srv.Revision() {
		t.Fatalf("pods answer with the deleted object at the deletion's revision: %d %s", r.code, r.raw)
	}
	r = do(t, srv, http.MethodDelete, "/api/v1/namespaces/default/configmaps/c", "", "")
	if r.code != http.StatusOK || r.str("kind") != "Status" || r.str("status") != "Success" ||
		r.str("details.name") != "c" || r.str("details.kind") != "configmaps" || r.str("details.uid") != string(cm.GetUID()) {
		t.Fatalf("configmaps answer with a Success Status: %d %s", r.code, r.raw)
	}
	if len(srv.Objects(Pods))+len(srv.Objects(ConfigMaps)) != 0 {
		t.Fatal("objects left after delete")
	}
	wantStatus(t, do(t, srv, http.MethodDelete, "/api/v1/namespaces/default/pods/p", "", ""), http.StatusNotFound, "NotFound", `pods "p" not found`)
}

func TestDeletePreconditions(t *testing.T) {
	srv := New(t)
	l := put(t, srv, Leases, map[string]any{"metadata": map[string]any{"namespace": "kube-system", "name": "lock"}})
	const path = "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/lock"
	tests := []struct {
		name, body string
		code       int
		message    string
	}{
		{"uid differs", `{"kind":"DeleteOptions","apiVersion":"v1","preconditions":{"uid":"other"}}`, http.StatusConflict,
			`Operation cannot be fulfilled on leases.coordination.k8s.io "lock": Precondition failed: UID in precondition: other, UID in object meta: ` + string(l.GetUID())},
		{"resourceVersion differs", `{"preconditions":{"resourceVersion":"1000"}}`, http.StatusConflict,
			`Operation cannot be fulfilled on leases.coordination.k8s.io "lock": Precondition failed: ResourceVersion in precondition: 1000, ResourceVersion in object meta: ` + l.GetResourceVersion()},
		{"bad propagation policy", `{"propagationPolicy":"Sideways"}`, http.StatusUnprocessableEntity, ""},
		{"not json", `{`, http.StatusBadRequest, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := do(t, srv, http.MethodDelete, path, "application/json", tt.body)
			if r.code != tt.code || (tt.message != "" && r.str("message") != tt.message) {
				t.Fatalf("got %d %s", r.code, r.raw)
			}
		})
	}
	body := `{"preconditions":{"uid":"` + string(l.GetUID()) + `","resourceVersion":"` + l.GetResourceVersion() + `"},"gracePeriodSeconds":0,"propagationPolicy":"Foreground"}`
	if r := do(t, srv, http.MethodDelete, path, "application/json", body); r.code != http.StatusOK {
		t.Fatalf("matching preconditions: %d %s", r.code, r.raw)
	}
	reqs := srv.Requests()
	opts := reqs[len(reqs)-1].DeleteOptions
	if opts == nil || opts.GracePeriodSeconds == nil || *opts.GracePeriodSeconds != 0 || opts.PropagationPolicy == nil || *opts.PropagationPolicy != "Foreground" {
		t.Fatalf("delete options not recorded: %+v", opts)
	}
}

func TestDeleteOptionsFromQuery(t *testing.T) {
	srv := New(t)
	put(t, srv, ConfigMaps, configMap("default", "c", nil))
	r := do(t, srv, http.MethodDelete, "/api/v1/namespaces/default/configmaps/c?gracePeriodSeconds=5&propagationPolicy=Background", "", "")
	if r.code != http.StatusOK {
		t.Fatalf("got %d %s", r.code, r.raw)
	}
	opts := srv.Requests()[0].DeleteOptions
	if opts == nil || *opts.GracePeriodSeconds != 5 || *opts.PropagationPolicy != "Background" {
		t.Fatalf("options %+v", opts)
	}
}

func TestDeleteCollection(t *testing.T) {
	srv := New(t)
	put(t, srv, Pods, pod("a", "web-1", map[string]any{"app": "web"}))
	put(t, srv, Pods, pod("a", "web-2", map[string]any{"app": "web"}))
	put(t, srv, Pods, pod("a", "db", map[string]any{"app": "db"}))
	put(t, srv, Pods, pod("b", "web-3", map[string]any{"app": "web"}))
	r := do(t, srv, http.MethodDelete, "/api/v1/namespaces/a/pods?labelSelector=app%3Dweb", "", "")
	items, _ := r.body["items"].([]any)
	if r.code != http.StatusOK || r.str("kind") != "PodList" || len(items) != 2 {
		t.Fatalf("got %d %s", r.code, r.raw)
	}
	var left []string
	for _, o := range srv.Objects(Pods) {
		left = append(left, o.GetNamespace()+"/"+o.GetName())
	}
	if len(left) != 2 || left[0] != "a/db" || left[1] != "b/web-3" {
		t.Fatalf("left %v", left)
	}
	r = do(t, srv, http.MethodDelete, "/api/v1/namespaces/b/pods?fieldSelector=metadata.name%3Dweb-3", "", "")
	if items, _ := r.body["items"].([]any); r.code != http.StatusOK || len(items) != 1 || len(srv.Objects(Pods)) != 1 {
		t.Fatalf("field-selected deletecollection: %d %s", r.code, r.raw)
	}
}

func TestDryRunIsRefused(t *testing.T) {
	srv := New(t)
	put(t, srv, ConfigMaps, configMap("default", "c", nil))
	wantStatus(t, do(t, srv, http.MethodDelete, "/api/v1/namespaces/default/configmaps/c?dryRun=All", "", ""), http.StatusBadRequest, "BadRequest", "")
	wantStatus(t, do(t, srv, http.MethodDelete, "/api/v1/namespaces/default/configmaps/c", "application/json", `{"dryRun":["All"]}`), http.StatusBadRequest, "BadRequest", "")
	wantStatus(t, do(t, srv, http.MethodPost, "/api/v1/namespaces/default/configmaps?dryRun=All", "application/json", `{"metadata":{"name":"d"}}`), http.StatusBadRequest, "BadRequest", "")
	if len(srv.Objects(ConfigMaps)) != 1 {
		t.Fatal("a dry run changed the store")
	}
}
