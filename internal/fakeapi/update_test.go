package fakeapi

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
)

func TestUpdate(t *testing.T) {
	srv := New(t)
	created := put(t, srv, Deployments, map[string]any{
		"metadata": map[string]any{"namespace": "default", "name": "d"},
		"spec":     map[string]any{"replicas": 1},
		"status":   map[string]any{"replicas": 1},
	})
	rv := created.GetResourceVersion()
	path := "/apis/apps/v1/namespaces/default/deployments/d"

	tests := []struct {
		name    string
		body    string
		code    int
		gen     float64
		replica float64 // status.replicas afterwards
	}{
		{"labels only keep generation", `{"metadata":{"name":"d","labels":{"a":"b"},"resourceVersion":"RV"},"spec":{"replicas":1}}`, 200, 1, 1},
		{"spec bumps generation, status kept", `{"metadata":{"name":"d","resourceVersion":"RV"},"spec":{"replicas":3},"status":{"replicas":9}}`, 200, 2, 1},
		{"unconditional without resourceVersion", `{"metadata":{"name":"d"},"spec":{"replicas":4}}`, 200, 3, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := strings.ReplaceAll(tt.body, "RV", rv)
			r := do(t, srv, http.MethodPut, path, "application/json", body)
			if r.code != tt.code || r.num("metadata.generation") != tt.gen || r.num("status.replicas") != tt.replica {
				t.Fatalf("got %d %s", r.code, r.raw)
			}
			if r.str("metadata.uid") != string(created.GetUID()) || r.str("metadata.creationTimestamp") == "" {
				t.Fatalf("server-owned metadata lost: %s", r.raw)
			}
			if next := r.str("metadata.resourceVersion"); next == rv {
				t.Fatalf("resourceVersion did not move: %s", next)
			}
			rv = r.str("metadata.resourceVersion")
		})
	}
}

func TestUpdateErrors(t *testing.T) {
	srv := New(t)
	cm := put(t, srv, ConfigMaps, configMap("default", "a", map[string]any{"k": "v"}))
	stale, _ := strconv.Atoi(cm.GetResourceVersion())
	put(t, srv, ConfigMaps, configMap("default", "a", map[string]any{"k": "v2"}))
	path := "/api/v1/namespaces/default/configmaps/"
	tests := []struct {
		name, path, body string
		code             int
		reason, message  string
	}{
		{"stale resourceVersion", path + "a", `{"metadata":{"name":"a","resourceVersion":"` + strconv.Itoa(stale) + `"}}`,
			http.StatusConflict, "Conflict",
			`Operation cannot be fulfilled on configmaps "a": the object has been modified; please apply your changes to the latest version and try again`},
		{"missing", path + "b", `{"metadata":{"name":"b"}}`, http.StatusNotFound, "NotFound", `configmaps "b" not found`},
		{"name differs", path + "a", `{"metadata":{"name":"z"}}`, http.StatusBadRequest, "BadRequest",
			"the name of the object (z) does not match the name on the URL (a)"},
		{"uid differs", path + "a", `{"metadata":{"name":"a","uid":"other"}}`, http.StatusUnprocessableEntity, "Invalid", ""},
		{"not json", path + "a", `nope`, http.StatusBadRequest, "BadRequest", ""},
		{"bad resourceVersion", path + "a", `{"metadata":{"name":"a","resourceVersion":"x"}}`, http.StatusUnprocessableEntity, "Invalid", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantStatus(t, do(t, srv, http.MethodPut, tt.path, "application/json", tt.body), tt.code, tt.reason, tt.message)
		})
	}
}

func TestUpdateWithoutChangeWritesNothing(t *testing.T) {
	srv := New(t)
	cm := put(t, srv, ConfigMaps, configMap("default", "a", map[string]any{"k": "v"}))
	before := srv.Revision()
	r := do(t, srv, http.MethodPut, "/api/v1/namespaces/default/configmaps/a", "application/json", mustJSON(t, cm.Object))
	if r.code != http.StatusOK || r.str("metadata.resourceVersion") != cm.GetResourceVersion() || srv.Revision() != before {
		t.Fatalf("no-op update wrote: %d %s, revision %d -> %d", r.code, r.raw, before, srv.Revision())
	}
}

func TestUpdateStatusSubresource(t *testing.T) {
	srv := New(t)
	p := put(t, srv, Pods, pod("default", "p", map[string]any{"a": "1"}))
	r := do(t, srv, http.MethodPut, "/api/v1/namespaces/default/pods/p/status", "application/json",
		`{"metadata":{"name":"p","labels":{"a":"changed"}},"spec":{"nodeName":"ignored"},"status":{"phase":"Running"}}`)
	if r.code != http.StatusOK || r.str("status.phase") != "Running" {
		t.Fatalf("status update: %d %s", r.code, r.raw)
	}
	if r.str("metadata.labels.a") != "1" || r.str("spec.nodeName") != "" || r.num("metadata.generation") != 1 {
		t.Fatalf("status update changed more than .status: %s", r.raw)
	}
	wantStatus(t, do(t, srv, http.MethodPut, "/api/v1/namespaces/default/pods/p/status", "application/json",
		`{"metadata":{"name":"p","resourceVersion":"`+p.GetResourceVersion()+`"},"status":{}}`), http.StatusConflict, "Conflict", "")
	got := do(t, srv, http.MethodGet, "/api/v1/namespaces/default/pods/p/status", "", "")
	if got.code != http.StatusOK || got.str("status.phase") != "Running" {
		t.Fatalf("get status: %d %s", got.code, got.raw)
	}
}

func TestUpdateFinalizersRemovedDeletes(t *testing.T) {
	srv := New(t)
	put(t, srv, ConfigMaps, map[string]any{"metadata": map[string]any{"namespace": "default", "name": "f", "finalizers": []any{"example.com/hold"}}})
	path := "/api/v1/namespaces/default/configmaps/f"
	r := do(t, srv, http.MethodDelete, path, "", "")
	if r.code != http.StatusOK || r.str("metadata.deletionTimestamp") == "" {
		t.Fatalf("delete with finalizers should only mark: %d %s", r.code, r.raw)
	}
	if _, ok := srv.Get(ConfigMaps, "default", "f"); !ok {
		t.Fatal("object with finalizers is gone")
	}
	wantStatus(t, do(t, srv, http.MethodPut, path, "application/json",
		`{"metadata":{"name":"f","finalizers":["example.com/hold","example.com/new"]}}`), http.StatusUnprocessableEntity, "Invalid", "")
	r = do(t, srv, http.MethodPut, path, "application/json", `{"metadata":{"name":"f","finalizers":[]}}`)
	if r.code != http.StatusOK {
		t.Fatalf("removing finalizers: %d %s", r.code, r.raw)
	}
	if _, ok := srv.Get(ConfigMaps, "default", "f"); ok {
		t.Fatal("object still there after its last finalizer went")
	}
}

func TestUpdateCreatesLeases(t *testing.T) {
	srv := New(t)
	const path = "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/lock"
	r := do(t, srv, http.MethodPut, path, "application/json", `{"metadata":{"name":"lock","resourceVersion":"12"},"spec":{"holderIdentity":"a"}}`)
	if r.code != http.StatusCreated || r.str("metadata.uid") == "" || r.str("spec.holderIdentity") != "a" || r.num("metadata.generation") != 1 {
		t.Fatalf("PUT of a missing lease creates it: %d %s", r.code, r.raw)
	}
	wantStatus(t, do(t, srv, http.MethodPut, "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/other", "application/json",
		`{"metadata":{"name":"lock"}}`), http.StatusBadRequest, "BadRequest", "the name of the object (lock) does not match the name on the URL (other)")
	wantStatus(t, do(t, srv, http.MethodPut, "/api/v1/namespaces/default/pods/missing/status", "application/json",
		`{"metadata":{"name":"missing"}}`), http.StatusNotFound, "NotFound", `pods "missing" not found`)
}
