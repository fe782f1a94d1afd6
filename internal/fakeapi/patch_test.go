package fakeapi

import (
	"net/http"
	"testing"

	"k8s.io/apimachinery/pkg/runtime/schema"
)

func TestPatch(t *testing.T) {
	const path = "/api/v1/namespaces/default/pods/p"
	tests := []struct {
		name, contentType, body string
		check                   func(r response) bool
	}{
		{"json patch", "application/json-patch+json",
			`[{"op":"add","path":"/metadata/labels/b","value":"2"},{"op":"test","path":"/metadata/labels/a","value":"1"}]`,
			func(r response) bool { return r.str("metadata.labels.a") == "1" && r.str("metadata.labels.b") == "2" }},
		{"merge patch", "application/merge-patch+json",
			`{"metadata":{"labels":{"a":null,"b":"2"}},"spec":{"containers":[{"name":"d","image":"x"}]}}`,
			func(r response) bool {
				cs, _ := lookup(r.body, "spec.containers").([]any)
				return r.str("metadata.labels.a") == "" && r.str("metadata.labels.b") == "2" && len(cs) == 1
			}},
		{"strategic merge patch merges containers by name", "application/strategic-merge-patch+json",
			`{"spec":{"containers":[{"name":"d","image":"x"}]}}`,
			func(r response) bool {
				cs, _ := lookup(r.body, "spec.containers").([]any)
				return len(cs) == 2 && r.num("metadata.generation") == 2
			}},
		{"content type with parameters", "application/merge-patch+json; charset=utf-8", `{"metadata":{"annotations":{"x":"y"}}}`,
			func(r response) bool { return r.str("metadata.annotations.x") == "y" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := New(t)
			put(t, srv, Pods, pod("default", "p", map[string]any{"a": "1"}))
			r := do(t, srv, http.MethodPatch, path, tt.contentType, tt.body)
			if r.code != http.StatusOK || !tt.check(r) {
				t.Fatalf("got %d %s", r.code, r.raw)
			}
			if got, _ := srv.Get(Pods, "default", "p"); got.GetResourceVersion() != r.str("metadata.resourceVersion") {
				t.Fatalf("stored %s, answered %s", got.GetResourceVersion(), r.str("metadata.resourceVersion"))
			}
		})
	}
}

func TestPatchErrors(t *testing.T) {
	srv := New(t)
	widgets := schema.GroupVersionResource{Group: "example.com", Version: "v1", Resource: "widgets"}
	srv.Register(widgets, "Widget", true)
	put(t, srv, widgets, map[string]any{"metadata": map[string]any{"namespace": "default", "name": "w"}, "spec": map[string]any{"size": 1}})
	p := put(t, srv, Pods, pod("default", "p", nil))
	put(t, srv, Pods, pod("default", "p", map[string]any{"moved": "on"}))
	const podPath = "/api/v1/namespaces/default/pods/p"
	tests := []struct {
		name, path, contentType, body string
		code                          int
		reason, message               string
	}{
		{"strategic on a kind without Go type", "/apis/example.com/v1/namespaces/default/widgets/w", "application/strategic-merge-patch+json", `{}`,
			http.StatusUnsupportedMediaType, "UnsupportedMediaType",
			"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json"},
		{"apply patch", podPath, "application/apply-patch+yaml", `{}`, http.StatusUnsupportedMediaType, "UnsupportedMediaType", ""},
		{"plain json", podPath, "application/json", `{}`, http.StatusUnsupportedMediaType, "UnsupportedMediaType", ""},
		{"missing", "/api/v1/namespaces/default/pods/q", "application/merge-patch+json", `{}`, http.StatusNotFound, "NotFound", `pods "q" not found`},
		{"failed json patch test", podPath, "application/json-patch+json", `[{"op":"test","path":"/metadata/name","value":"other"}]`,
			http.StatusUnprocessableEntity, "Invalid", "the server rejected our request due to an error in our request"},
		{"malformed json patch", podPath, "application/json-patch+json", `{"op":"add"}`, http.StatusBadRequest, "BadRequest", ""},
		{"stale resourceVersion in the patch", podPath, "application/merge-patch+json",
			`{"metadata":{"resourceVersion":"` + p.GetResourceVersion() + `","labels":{"x":"y"}}}`, http.StatusConflict, "Conflict",
			`Operation cannot be fulfilled on pods "p": the object has been modified; please apply your changes to the latest version and try again`},
		{"patch breaks the type", podPath, "application/merge-patch+json", `{"spec":{"containers":"none"}}`, http.StatusBadRequest, "BadRequest", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantStatus(t, do(t, srv, http.MethodPatch, tt.path, tt.contentType, tt.body), tt.code, tt.reason, tt.message)
		})
	}
	r := do(t, srv, http.MethodPatch, "/apis/example.com/v1/namespaces/default/widgets/w", "application/merge-patch+json", `{"spec":{"size":2,"extra":true}}`)
	if r.code != http.StatusOK || r.num("spec.size") != 2 || lookup(r.body, "spec.extra") != true {
		t.Fatalf("merge patch on a custom kind: %d %s", r.code, r.raw)
	}
}

func TestPatchStatus(t *testing.T) {
	srv := New(t)
	put(t, srv, Pods, pod("default", "p", nil))
	r := do(t, srv, http.MethodPatch, "/api/v1/namespaces/default/pods/p/status", "application/merge-patch+json",
		`{"metadata":{"labels":{"x":"y"}},"status":{"phase":"Succeeded"}}`)
	if r.code != http.StatusOK || r.str("status.phase") != "Succeeded" || r.str("metadata.labels.x") != "" {
		t.Fatalf("got %d %s", r.code, r.raw)
	}
	r = do(t, srv, http.MethodPatch, "/api/v1/namespaces/default/pods/p", "application/merge-patch+json", `{"status":{"phase":"Failed"}}`)
	if r.code != http.StatusOK || r.str("status.phase") != "Succeeded" {
		t.Fatalf("main patch changed status: %d %s", r.code, r.raw)
	}
}
