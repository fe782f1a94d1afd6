package discovery

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

func get(t *testing.T, h http.Handler, path, accept string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "https://10.0.0.1:6443"+path, nil)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func body(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// assertJSON compares two JSON texts as values, reporting both on a mismatch.
func assertJSON(t *testing.T, got, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal([]byte(got), &g); err != nil {
		t.Fatalf("response is not JSON: %v\n%s", err, got)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad expectation: %v", err)
	}
	gb, _ := json.Marshal(g)
	wb, _ := json.Marshal(w)
	if string(gb) != string(wb) {
		t.Errorf("got  %s\nwant %s", gb, wb)
	}
}

func TestLegacyDocuments(t *testing.T) {
	h := New(testResources(), Info{GitVersion: "v1.31.3"})
	all := `["create","delete","deletecollection","get","list","patch","update","watch"]`
	tests := []struct {
		name, path, want string
	}{
		{"api", "/api", `{"kind":"APIVersions","versions":["v1"],
			"serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":"10.0.0.1:6443"}]}`},
		{"core resources, no apiVersion, subresources in sorted run", "/api/v1", `{"kind":"APIResourceList","groupVersion":"v1","resources":[
			{"name":"events","singularName":"event","namespaced":true,"kind":"Event","verbs":` + all + `,"shortNames":["ev"]},
			{"name":"namespaces","singularName":"namespace","namespaced":false,"kind":"Namespace","verbs":["create","delete","get","list","patch","update","watch"],"shortNames":["ns"]},
			{"name":"pods","singularName":"pod","namespaced":true,"kind":"Pod","verbs":` + all + `,"shortNames":["po"],"categories":["all"]},
			{"name":"pods/binding","singularName":"","namespaced":true,"kind":"Binding","verbs":["create"]},
			{"name":"pods/eviction","singularName":"","namespaced":true,"group":"policy","version":"v1","kind":"Eviction","verbs":["create"]},
			{"name":"pods/status","singularName":"","namespaced":true,"kind":"Pod","verbs":["get","patch","update"]}]}`},
		{"groups by upstream priority, preferred version first", "/apis", `{"kind":"APIGroupList","apiVersion":"v1","groups":[
			{"name":"apps","versions":[{"groupVersion":"apps/v1","version":"v1"}],"preferredVersion":{"groupVersion":"apps/v1","version":"v1"}},
			{"name":"events.k8s.io","versions":[{"groupVersion":"events.k8s.io/v1","version":"v1"}],"preferredVersion":{"groupVersion":"events.k8s.io/v1","version":"v1"}},
			{"name":"autoscaling","versions":[{"groupVersion":"autoscaling/v2","version":"v2"},{"groupVersion":"autoscaling/v1","version":"v1"}],"preferredVersion":{"groupVersion":"autoscaling/v2","version":"v2"}}]}`},
		{"group", "/apis/autoscaling", `{"kind":"APIGroup","apiVersion":"v1","name":"autoscaling",
			"versions":[{"groupVersion":"autoscaling/v2","version":"v2"},{"groupVersion":"autoscaling/v1","version":"v1"}],
			"preferredVersion":{"groupVersion":"autoscaling/v2","version":"v2"}}`},
		{"group version with a subresource of another group", "/apis/apps/v1", `{"kind":"APIResourceList","apiVersion":"v1","groupVersion":"apps/v1","resources":[
			{"name":"deployments","singularName":"deployment","namespaced":true,"kind":"Deployment","verbs":` + all + `,"shortNames":["deploy"],"categories":["all"]},
			{"name":"deployments/scale","singularName":"","namespaced":true,"group":"autoscaling","version":"v1","kind":"Scale","verbs":["get","patch","update"]},
			{"name":"deployments/status","singularName":"","namespaced":true,"kind":"Deployment","verbs":["get","patch","update"]}]}`},
		{"trailing slash", "/apis/autoscaling/v1/", `{"kind":"APIResourceList","apiVersion":"v1","groupVersion":"autoscaling/v1","resources":[
			{"name":"horizontalpodautoscalers","singularName":"horizontalpodautoscaler","namespaced":true,"kind":"HorizontalPodAutoscaler","verbs":` + all + `,"shortNames":["hpa"],"categories":["all"]}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := get(t, h, tt.path, "application/json")
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d", resp.StatusCode)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q", ct)
			}
			assertJSON(t, body(t, resp), tt.want)
		})
	}
}

func TestConfiguredServerAddress(t *testing.T) {
	h := New(testResources(), Info{}, WithServerAddress("192.0.2.7:6443"))
	assertJSON(t, body(t, get(t, h, "/api", "")), `{"kind":"APIVersions","versions":["v1"],
		"serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":"192.0.2.7:6443"}]}`)
}

func TestErrorsAreStatuses(t *testing.T) {
	h := New(testResources(), Info{})
	tests := []struct {
		name, method, path, accept string
		code                       int
		reason                     string
	}{
		{"unknown group", http.MethodGet, "/apis/nope", "", 404, "NotFound"},
		{"unknown version", http.MethodGet, "/apis/apps/v2", "", 404, "NotFound"},
		{"not discovery", http.MethodGet, "/apis/apps/v1/deployments", "", 404, "NotFound"},
		{"write", http.MethodPost, "/apis", "", 405, "MethodNotAllowed"},
		{"protobuf only", http.MethodGet, "/apis", "application/vnd.kubernetes.protobuf", 406, "NotAcceptable"},
		{"aggregated asked of a group version", http.MethodGet, "/apis/apps/v1", contentTypeAggregated, 406, "NotAcceptable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, tt.path, nil)
			req.Header.Set("Accept", tt.accept)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tt.code {
				t.Fatalf("code %d, want %d", rec.Code, tt.code)
			}
			var st struct {
				Kind, Status, Reason string
				Code                 int
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &st); err != nil {
				t.Fatal(err)
			}
			if st.Kind != "Status" || st.Status != "Failure" || st.Reason != tt.reason || st.Code != tt.code {
				t.Errorf("status %+v", st)
			}
		})
	}
}

func TestVersion(t *testing.T) {
	h := New(nil, Info{GitVersion: "v1.31.3-skiff.1", GitCommit: "abc", GitTreeState: "clean",
		GoVersion: "go1.26", Compiler: "gc", Platform: "linux/amd64"})
	resp := get(t, h, "/version", "")
	assertJSON(t, body(t, resp), `{"major":"1","minor":"31","gitVersion":"v1.31.3-skiff.1","gitCommit":"abc",
		"gitTreeState":"clean","buildDate":"","goVersion":"go1.26","compiler":"gc","platform":"linux/amd64"}`)
}

func TestETag(t *testing.T) {
	h := New(testResources(), Info{})
	first := get(t, h, "/apis/apps/v1", "")
	etag := first.Header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	req := httptest.NewRequest(http.MethodGet, "/apis/apps/v1", nil)
	req.Header.Set("If-None-Match", etag)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusNotModified || rec.Body.Len() != 0 {
		t.Errorf("revalidation: %d %q", rec.Code, rec.Body.String())
	}
	if other := get(t, h, "/apis/autoscaling/v1", "").Header.Get("ETag"); other == etag {
		t.Errorf("two documents share ETag %s", etag)
	}
}

func TestPaths(t *testing.T) {
	h := New(testResources(), Info{})
	want := map[string]bool{"/api": true, "/apis": true, "/api/v1": true, "/apis/apps": true, "/apis/apps/v1": true,
		"/apis/events.k8s.io": true, "/apis/events.k8s.io/v1": true, "/apis/autoscaling": true,
		"/apis/autoscaling/v1": true, "/apis/autoscaling/v2": true, "/version": true}
	got := h.Paths()
	if len(got) != len(want) {
		t.Errorf("Paths() = %v", got)
	}
	for _, p := range got {
		if !want[p] {
			t.Errorf("unexpected path %s", p)
		}
		if resp := get(t, h, p, ""); resp.StatusCode != http.StatusOK {
			t.Errorf("%s: %d", p, resp.StatusCode)
		}
	}
}
