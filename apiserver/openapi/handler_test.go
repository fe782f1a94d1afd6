package openapi

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	openapiv3 "github.com/google/gnostic-models/openapiv3"
	protobuf "google.golang.org/protobuf/proto"
)

func serve(t *testing.T, h http.Handler, method, target string, header map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestV3IndexAndHashes(t *testing.T) {
	h := testHandler(t)
	rec := serve(t, h, http.MethodGet, "/openapi/v3", nil)
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/json" || rec.Header().Get("ETag") == "" {
		t.Fatalf("index: %d %v", rec.Code, rec.Header())
	}
	var index struct {
		Paths map[string]struct {
			ServerRelativeURL string `json:"serverRelativeURL"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &index); err != nil {
		t.Fatal(err)
	}
	want := []string{"api/v1", "apis/apps/v1", "apis/authentication.k8s.io/v1", "apis/autoscaling/v1", "apis/autoscaling/v2"}
	if len(index.Paths) != len(want) {
		t.Errorf("index paths %v", index.Paths)
	}
	for _, gv := range want {
		u, err := url.Parse(index.Paths[gv].ServerRelativeURL)
		if err != nil || u.Path != "/openapi/v3/"+gv || len(u.Query().Get("hash")) != 128 {
			t.Fatalf("%s: serverRelativeURL %q", gv, index.Paths[gv].ServerRelativeURL)
		}
		rec := serve(t, h, http.MethodGet, u.String(), map[string]string{"Accept": "application/json"})
		if rec.Code != 200 || rec.Header().Get("Cache-Control") != "public, immutable" || rec.Header().Get("Expires") == "" {
			t.Errorf("%s: %d %v", gv, rec.Code, rec.Header())
		}
		if rec.Header().Get("ETag") != `"`+u.Query().Get("hash")+`"` {
			t.Errorf("%s: ETag %s, hash %s", gv, rec.Header().Get("ETag"), u.Query().Get("hash"))
		}
		if !json.Valid(rec.Body.Bytes()) {
			t.Errorf("%s: body is not JSON", gv)
		}
	}

	stale := serve(t, h, http.MethodGet, "/openapi/v3/apis/apps/v1?hash=0123", nil)
	if stale.Code != http.StatusMovedPermanently || stale.Header().Get("Location") != index.Paths["apis/apps/v1"].ServerRelativeURL {
		t.Errorf("stale hash: %d Location %q", stale.Code, stale.Header().Get("Location"))
	}
	plain := serve(t, h, http.MethodGet, "/openapi/v3/apis/apps/v1", nil)
	if plain.Code != 200 || plain.Header().Get("Cache-Control") != "" {
		t.Errorf("without hash: %d %v", plain.Code, plain.Header())
	}
	again := serve(t, h, http.MethodGet, "/openapi/v3/apis/apps/v1", map[string]string{"If-None-Match": plain.Header().Get("ETag")})
	if again.Code != http.StatusNotModified {
		t.Errorf("revalidation: %d", again.Code)
	}
}

func TestContentNegotiation(t *testing.T) {
	h := testHandler(t)
	tests := []struct {
		name, path, accept string
		code               int
		contentType        string
	}{
		{"v2 JSON", "/openapi/v2", "application/json", 200, "application/json"},
		{"v2 anything", "/openapi/v2", "*/*", 200, "application/json"},
		{"v2 no Accept", "/openapi/v2", "", 200, "application/json"},
		{"v2 protobuf as client-go asks", "/openapi/v2", "application/com.github.proto-openapi.spec.v2@v1.0+protobuf", 200, mediaV2Protobuf},
		{"v2 protobuf", "/openapi/v2", mediaV2Protobuf + ",application/json", 200, mediaV2Protobuf},
		{"v2 JSON preferred by quality", "/openapi/v2", mediaV2Protobuf + ";q=0.5,application/json", 200, "application/json"},
		{"v2 nothing acceptable", "/openapi/v2", "text/html", 406, "application/json"},
		{"v3 protobuf", "/openapi/v3/api/v1", mediaV3ProtobufAt, 200, mediaV3Protobuf},
		{"v3 unknown group version", "/openapi/v3/apis/nope/v1", "application/json", 404, "application/json"},
		{"elsewhere", "/openapi/v4", "", 404, "application/json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := serve(t, h, http.MethodGet, tt.path, map[string]string{"Accept": tt.accept})
			if rec.Code != tt.code || rec.Header().Get("Content-Type") != tt.contentType {
				t.Errorf("%d %q, want %d %q", rec.Code, rec.Header().Get("Content-Type"), tt.code, tt.contentType)
			}
			if tt.code == 200 && strings.HasPrefix(tt.path, "/openapi/v") && !strings.Contains(rec.Header().Get("Vary"), "Accept") {
				t.Errorf("Vary %q", rec.Header().Get("Vary"))
			}
		})
	}
	if rec := serve(t, h, http.MethodPut, "/openapi/v2", nil); rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("PUT: %d", rec.Code)
	}
}

func TestV3Protobuf(t *testing.T) {
	rec := serve(t, testHandler(t), http.MethodGet, "/openapi/v3/apis/apps/v1", map[string]string{"Accept": mediaV3Protobuf})
	var doc openapiv3.Document
	if err := protobuf.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, p := range doc.GetPaths().GetPath() {
		if p.GetName() == "/apis/apps/v1/namespaces/{namespace}/deployments/{name}" && p.GetValue().GetPatch() != nil {
			found = true
		}
	}
	if !found {
		t.Error("protobuf document lacks the Deployment PATCH")
	}
}
