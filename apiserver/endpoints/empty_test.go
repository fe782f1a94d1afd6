package endpoints

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/skiff-dev/skiff/apiserver/scheme"
)

// TestEmptyCollection: get is 404, list an empty list (or Table), every
// other verb a 405 saying why, other paths under it 404.
func TestEmptyCollection(t *testing.T) {
	c := EmptyCollection{
		GVR:  schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"},
		Kind: "CustomResourceDefinition", Reason: "not served here",
	}
	h := NewHandler(nil, scheme.NewCodecs(scheme.New()), nil, WithEmptyCollection(c))
	const base = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"
	tests := []struct {
		method, path, accept string
		code                 int
		body                 string
	}{
		{"GET", base, "", 200, `{"apiVersion":"apiextensions.k8s.io/v1","items":[],"kind":"CustomResourceDefinitionList","metadata":{}}`},
		{"GET", base, "application/json;as=Table;v=v1;g=meta.k8s.io", 200, `"kind":"Table"`},
		{"GET", base + "/widgets.example.com", "", 404, `customresourcedefinitions.apiextensions.k8s.io \"widgets.example.com\" not found`},
		{"POST", base, "", 405, `create is not supported on customresourcedefinitions.apiextensions.k8s.io: not served here`},
		{"DELETE", base + "/x", "", 405, `"reason":"MethodNotAllowed"`},
		{"GET", base + "/x/status", "", 404, "the server could not find the requested resource"},
		{"GET", "/apis/apiextensions.k8s.io/v1/namespaces/a/customresourcedefinitions", "", 404, "the server could not find the requested resource"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			r := httptest.NewRequest(tt.method, tt.path, strings.NewReader("{}"))
			if tt.accept != "" {
				r.Header.Set("Accept", tt.accept)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			if rec.Code != tt.code || !strings.Contains(rec.Body.String(), tt.body) {
				t.Errorf("%d %s\nwant %d with %s", rec.Code, rec.Body, tt.code, tt.body)
			}
		})
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, base+"?watch=true", nil))
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("watch: %d, want 405 (not advertised)", rec.Code)
	}
}
