package fakeapi

import (
	"net/http"
	"regexp"
	"strconv"
	"testing"
	"time"
)

func TestCreate(t *testing.T) {
	srv := New(t)
	r := do(t, srv, http.MethodPost, "/api/v1/namespaces/default/pods", "application/json",
		`{"metadata":{"name":"web","labels":{"app":"web"},"uid":"mine","generation":7},
		  "spec":{"containers":[{"name":"c","image":"busybox"}],"unknownField":1},
		  "status":{"phase":"Running"}}`)
	if r.code != http.StatusCreated {
		t.Fatalf("got %d %s", r.code, r.raw)
	}
	if r.str("kind") != "Pod" || r.str("apiVersion") != "v1" || r.str("metadata.namespace") != "default" {
		t.Fatalf("type or namespace not filled: %s", r.raw)
	}
	if uid := r.str("metadata.uid"); uid == "mine" || !regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(uid) {
		t.Fatalf("uid %q is not a server-assigned UUID", uid)
	}
	if r.num("metadata.generation") != 1 {
		t.Fatalf("generation %v, want 1", r.num("metadata.generation"))
	}
	if ts, err := time.Parse(time.RFC3339, r.str("metadata.creationTimestamp")); err != nil || time.Since(ts) > time.Minute {
		t.Fatalf("creationTimestamp %q", r.str("metadata.creationTimestamp"))
	}
	if rv, _ := strconv.ParseInt(r.str("metadata.resourceVersion"), 10, 64); rv != srv.Revision() || rv == 0 {
		t.Fatalf("resourceVersion %q, store at %d", r.str("metadata.resourceVersion"), srv.Revision())
	}
	if r.str("status.phase") != "Pending" {
		t.Fatalf("a created pod's status starts Pending, got %s", r.raw)
	}
	if lookup(r.body, "spec.unknownField") != nil {
		t.Fatalf("unknown field kept: %s", r.raw)
	}
	got := do(t, srv, http.MethodGet, "/api/v1/namespaces/default/pods/web", "", "")
	if got.code != http.StatusOK || string(got.raw) != string(r.raw) {
		t.Fatalf("get after create: %d %s, want %s", got.code, got.raw, r.raw)
	}

	// Each write is one revision of one global counter.
	r2 := do(t, srv, http.MethodPost, "/apis/apps/v1/namespaces/default/deployments", "application/json", `{"metadata":{"name":"d"}}`)
	rv1, _ := strconv.Atoi(r.str("metadata.resourceVersion"))
	rv2, _ := strconv.Atoi(r2.str("metadata.resourceVersion"))
	if r2.code != http.StatusCreated || rv2 != rv1+1 {
		t.Fatalf("second create: %d rv %d after %d", r2.code, rv2, rv1)
	}
}

func TestCreateGenerateName(t *testing.T) {
	srv := New(t)
	r := do(t, srv, http.MethodPost, "/api/v1/namespaces/ns/configmaps", "application/json", `{"metadata":{"generateName":"cm-"}}`)
	if r.code != http.StatusCreated || !regexp.MustCompile(`^cm-[bcdfghjklmnpqrstvwxz2456789]{5}$`).MatchString(r.str("metadata.name")) {
		t.Fatalf("got %d %s", r.code, r.raw)
	}
	if r.str("metadata.generateName") != "cm-" {
		t.Fatalf("generateName not kept: %s", r.raw)
	}
}

func TestCreateErrors(t *testing.T) {
	srv := New(t)
	put(t, srv, Pods, pod("default", "taken", nil))
	tests := []struct {
		name, path, body string
		code             int
		reason, message  string
	}{
		{"exists", "/api/v1/namespaces/default/pods", `{"metadata":{"name":"taken"}}`,
			http.StatusConflict, "AlreadyExists", `pods "taken" already exists`},
		{"exists in group", "/apis/coordination.k8s.io/v1/namespaces/default/leases", `{"metadata":{"name":"l"}}`,
			0, "", ""}, // created here, conflicts below
		{"lease exists", "/apis/coordination.k8s.io/v1/namespaces/default/leases", `{"metadata":{"name":"l"}}`,
			http.StatusConflict, "AlreadyExists", `leases.coordination.k8s.io "l" already exists`},
		{"no name", "/api/v1/namespaces/default/configmaps", `{"metadata":{}}`,
			http.StatusUnprocessableEntity, "Invalid", `ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required`},
		{"bad name", "/api/v1/namespaces/default/configmaps", `{"metadata":{"name":"Bad_Name"}}`,
			http.StatusUnprocessableEntity, "Invalid", ""},
		{"not json", "/api/v1/namespaces/default/configmaps", `{"metadata":`,
			http.StatusBadRequest, "BadRequest", ""},
		{"not an object", "/api/v1/namespaces/default/configmaps", `[]`,
			http.StatusBadRequest, "BadRequest", ""},
		{"wrong field type", "/api/v1/namespaces/default/configmaps", `{"metadata":{"name":"x"},"data":"text"}`,
			http.StatusBadRequest, "BadRequest", ""},
		{"other namespace", "/api/v1/namespaces/default/configmaps", `{"metadata":{"name":"x","namespace":"other"}}`,
			http.StatusBadRequest, "BadRequest", "the namespace of the provided object does not match the namespace sent on the request"},
		{"other kind", "/api/v1/namespaces/default/configmaps", `{"kind":"Secret","metadata":{"name":"x"}}`,
			http.StatusBadRequest, "BadRequest", ""},
		{"resourceVersion set", "/api/v1/namespaces/default/configmaps", `{"metadata":{"name":"x","resourceVersion":"3"}}`,
			http.StatusInternalServerError, "InternalError", "Internal error occurred: resourceVersion should not be set on objects to be created"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := do(t, srv, http.MethodPost, tt.path, "application/json", tt.body)
			if tt.code == 0 {
				if r.code != http.StatusCreated {
					t.Fatalf("setup create: %d %s", r.code, r.raw)
				}
				return
			}
			wantStatus(t, r, tt.code, tt.reason, tt.message)
		})
	}
	r := do(t, srv, http.MethodPost, "/api/v1/namespaces/default/configmaps", "application/json", `{"metadata":{}}`)
	causes, _ := lookup(r.body, "details.causes").([]any)
	if len(causes) != 1 || lookup(causes[0].(map[string]any), "field") != "metadata.name" ||
		lookup(causes[0].(map[string]any), "reason") != "FieldValueRequired" || r.str("details.kind") != "ConfigMap" {
		t.Fatalf("422 details: %s", r.raw)
	}
}

func TestCreateClusterScopedAndSecrets(t *testing.T) {
	srv := New(t)
	r := do(t, srv, http.MethodPost, "/api/v1/nodes", "application/json",
		`{"metadata":{"name":"n1","namespace":"ignored"},"status":{"capacity":{"cpu":"2000m"}}}`)
	if r.code != http.StatusCreated || r.str("metadata.namespace") != "" || r.str("status.capacity.cpu") != "2" {
		t.Fatalf("node create (namespace cleared, status kept, quantity canonical): %d %s", r.code, r.raw)
	}
	r = do(t, srv, http.MethodPost, "/api/v1/namespaces/default/secrets", "application/json",
		`{"metadata":{"name":"s"},"stringData":{"k":"v"}}`)
	if r.code != http.StatusCreated || r.str("data.k") != "dg==" || lookup(r.body, "stringData") != nil {
		t.Fatalf("stringData not folded into data: %s", r.raw)
	}
}

func TestGet(t *testing.T) {
	srv := New(t)
	put(t, srv, Deployments, map[string]any{"metadata": map[string]any{"namespace": "default", "name": "d"}})
	if r := do(t, srv, http.MethodGet, "/apis/apps/v1/namespaces/default/deployments/d", "", ""); r.code != http.StatusOK || r.str("kind") != "Deployment" {
		t.Fatalf("got %d %s", r.code, r.raw)
	}
	r := do(t, srv, http.MethodGet, "/apis/apps/v1/namespaces/default/deployments/missing", "", "")
	wantStatus(t, r, http.StatusNotFound, "NotFound", `deployments.apps "missing" not found`)
	if r.str("details.name") != "missing" || r.str("details.group") != "apps" || r.str("details.kind") != "deployments" {
		t.Fatalf("details: %s", r.raw)
	}
	wantStatus(t, do(t, srv, http.MethodGet, "/api/v1/namespaces/other/deployments/d", "", ""), http.StatusNotFound, "NotFound", "")
	wantStatus(t, do(t, srv, http.MethodGet, "/api/v1/namespaces/default/pods/x", "", ""), http.StatusNotFound, "NotFound", `pods "x" not found`)
}

func TestContentNegotiation(t *testing.T) {
	srv := New(t)
	r := do(t, srv, http.MethodPost, "/api/v1/namespaces/default/configmaps", "application/yaml", "metadata:\n  name: from-yaml\ndata:\n  k: v\n")
	if r.code != http.StatusCreated || r.str("data.k") != "v" {
		t.Fatalf("yaml body: %d %s", r.code, r.raw)
	}
	if r := do(t, srv, http.MethodPost, "/api/v1/namespaces/default/configmaps", "", `{"metadata":{"name":"no-type"}}`); r.code != http.StatusCreated {
		t.Fatalf("a body without Content-Type is JSON: %d %s", r.code, r.raw)
	}
	wantStatus(t, do(t, srv, http.MethodPost, "/api/v1/namespaces/default/configmaps", "application/vnd.kubernetes.protobuf", "x"),
		http.StatusUnsupportedMediaType, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml")
	for accept, code := range map[string]int{
		"application/vnd.kubernetes.protobuf":                      http.StatusNotAcceptable,
		"application/json;as=Table;v=v1;g=meta.k8s.io":             http.StatusNotAcceptable,
		"application/vnd.kubernetes.protobuf, application/json":    http.StatusOK,
		"application/json;as=Table;g=meta.k8s.io,application/json": http.StatusOK,
		"*/*": http.StatusOK,
	} {
		r := doWith(t, srv.Client(), srv.URL(), http.MethodGet, "/api/v1/namespaces/default/configmaps", "", "", http.Header{"Accept": {accept}})
		if r.code != code {
			t.Errorf("Accept %q: %d %s, want %d", accept, r.code, r.raw, code)
		}
	}
}
