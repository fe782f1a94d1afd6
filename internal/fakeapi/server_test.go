package fakeapi

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// response is one answer, decoded.
type response struct {
	code   int
	header http.Header
	body   map[string]any
	raw    []byte
}

// do sends one request with the server's client.
func do(t *testing.T, srv *Server, method, path, contentType, body string) response {
	t.Helper()
	return doWith(t, srv.Client(), srv.URL(), method, path, contentType, body, nil)
}

func doWith(t *testing.T, client *http.Client, base, method, path, contentType, body string, header http.Header) response {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, base+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	r := response{code: resp.StatusCode, header: resp.Header, raw: raw}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(raw, &r.body); err != nil {
			t.Fatalf("%s %s: decode %q: %v", method, path, raw, err)
		}
	}
	return r
}

// str reads a dotted path of the body as a string ("" when absent).
func (r response) str(path string) string {
	v, _ := lookup(r.body, path).(string)
	return v
}

func (r response) num(path string) float64 {
	v, _ := lookup(r.body, path).(float64)
	return v
}

func lookup(m map[string]any, path string) any {
	var cur any = m
	for _, p := range strings.Split(path, ".") {
		mm, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = mm[p]
	}
	return cur
}

// wantStatus checks an error answer: code, reason and message as upstream
// words them.
func wantStatus(t *testing.T, r response, code int, reason, message string) {
	t.Helper()
	if r.code != code || r.str("kind") != "Status" || r.str("apiVersion") != "v1" || r.str("status") != "Failure" ||
		r.str("reason") != reason || int(r.num("code")) != code {
		t.Fatalf("got %d %s, want %d Status with reason %s", r.code, r.raw, code, reason)
	}
	if message != "" && r.str("message") != message {
		t.Fatalf("message %q, want %q", r.str("message"), message)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

// put seeds an object through the test-side helper.
func put(t *testing.T, srv *Server, gvr schema.GroupVersionResource, obj map[string]any) *unstructured.Unstructured {
	t.Helper()
	u, err := srv.Put(gvr, &unstructured.Unstructured{Object: obj})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func pod(ns, name string, labels map[string]any) map[string]any {
	return map[string]any{
		"apiVersion": "v1",
		"kind":       "Pod",
		"metadata":   map[string]any{"namespace": ns, "name": name, "labels": labels},
		"spec":       map[string]any{"containers": []any{map[string]any{"name": "c", "image": "busybox"}}},
	}
}

func configMap(ns, name string, data map[string]any) map[string]any {
	return map[string]any{
		"metadata": map[string]any{"namespace": ns, "name": name},
		"data":     data,
	}
}

// event is one decoded watch event.
type event struct {
	Type   string         `json:"type"`
	Object map[string]any `json:"object"`
}

// watchStream reads a watch response event by event.
type watchStream struct {
	t      *testing.T
	resp   *http.Response
	events chan event
	err    chan error // the error that ended the stream (io.EOF for a clean end)
}

// openWatch starts a watch; when it returns, the server has registered it.
func openWatch(t *testing.T, srv *Server, path string) *watchStream {
	t.Helper()
	resp, err := srv.Client().Get(srv.URL() + path)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		t.Fatalf("watch %s: %d %s", path, resp.StatusCode, raw)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Fatalf("watch Content-Type %q", ct)
	}
	ws := &watchStream{t: t, resp: resp, events: make(chan event, 100), err: make(chan error, 1)}
	go func() {
		dec := json.NewDecoder(resp.Body)
		for {
			var ev event
			if err := dec.Decode(&ev); err != nil {
				ws.err <- err
				close(ws.events)
				return
			}
			ws.events <- ev
		}
	}()
	t.Cleanup(func() { resp.Body.Close() })
	return ws
}

const waitLimit = 5 * time.Second

// next returns the next event, failing the test when none comes in time.
func (ws *watchStream) next() event {
	ws.t.Helper()
	select {
	case ev, ok := <-ws.events:
		if !ok {
			ws.t.Fatalf("watch ended: %v", <-ws.err)
		}
		return ev
	case <-time.After(waitLimit):
		ws.t.Fatal("no watch event in time")
	}
	return event{}
}

// nextOf returns the next event of type typ, skipping bookmarks.
func (ws *watchStream) nextNonBookmark() event {
	ws.t.Helper()
	for {
		if ev := ws.next(); ev.Type != "BOOKMARK" {
			return ev
		}
	}
}

// end waits for the stream to end and returns why.
func (ws *watchStream) end() error {
	ws.t.Helper()
	for {
		select {
		case ev, ok := <-ws.events:
			if !ok {
				return <-ws.err
			}
			if ev.Type != "BOOKMARK" {
				ws.t.Fatalf("unexpected event %s before the end", ev.Type)
			}
		case <-time.After(waitLimit):
			ws.t.Fatal("watch did not end in time")
			return nil
		}
	}
}

func name(ev event) string {
	n, _ := lookup(ev.Object, "metadata.name").(string)
	return n
}

func rvOf(obj map[string]any) string {
	v, _ := lookup(obj, "metadata.resourceVersion").(string)
	return v
}

func TestDiscoveryAndVersion(t *testing.T) {
	srv := New(t)
	srv.Register(schema.GroupVersionResource{Group: "example.com", Version: "v1", Resource: "widgets"}, "Widget", true)
	tests := []struct {
		path, kind string
		check      func(r response) bool
	}{
		{"/version", "", func(r response) bool { return r.str("gitVersion") == "v1.31.3" }},
		{"/api", "APIVersions", func(r response) bool { return bytes.Contains(r.raw, []byte(`"versions":["v1"]`)) }},
		{"/apis", "APIGroupList", func(r response) bool {
			return bytes.Contains(r.raw, []byte(`"name":"apps"`)) && bytes.Contains(r.raw, []byte(`"name":"example.com"`))
		}},
		{"/apis/coordination.k8s.io", "APIGroup", func(r response) bool { return r.str("preferredVersion.groupVersion") == "coordination.k8s.io/v1" }},
		{"/api/v1", "APIResourceList", func(r response) bool {
			return bytes.Contains(r.raw, []byte(`"name":"pods/status"`)) && bytes.Contains(r.raw, []byte(`"name":"configmaps"`))
		}},
		{"/apis/example.com/v1", "APIResourceList", func(r response) bool { return bytes.Contains(r.raw, []byte(`"kind":"Widget"`)) }},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			r := do(t, srv, http.MethodGet, tt.path, "", "")
			if r.code != http.StatusOK || r.str("kind") != tt.kind || !tt.check(r) {
				t.Fatalf("got %d %s", r.code, r.raw)
			}
		})
	}
	wantStatus(t, do(t, srv, http.MethodGet, "/apis/nope/v1", "", ""), http.StatusNotFound, "NotFound", "the server could not find the requested resource")
	wantStatus(t, do(t, srv, http.MethodGet, "/api/v1/namespaces/default/widgets", "", ""), http.StatusNotFound, "NotFound", "")
}

func TestPathPrefix(t *testing.T) {
	srv := New(t, WithPathPrefix("/prefix/"))
	if !strings.HasSuffix(srv.URL(), "/prefix") {
		t.Fatalf("URL %s lacks the prefix", srv.URL())
	}
	put(t, srv, ConfigMaps, configMap("default", "a", nil))
	if r := do(t, srv, http.MethodGet, "/api/v1/namespaces/default/configmaps/a", "", ""); r.code != http.StatusOK {
		t.Fatalf("under the prefix: %d %s", r.code, r.raw)
	}
	base := strings.TrimSuffix(srv.URL(), "/prefix")
	for _, p := range []string{"/api/v1/namespaces/default/configmaps/a", "/prefixed/api/v1/namespaces/default/configmaps/a"} {
		if r := doWith(t, srv.Client(), base, http.MethodGet, p, "", "", nil); r.code != http.StatusNotFound {
			t.Fatalf("%s outside the prefix: %d %s", p, r.code, r.raw)
		}
	}
	if got := srv.Requests()[0].Path; got != "/api/v1/namespaces/default/configmaps/a" {
		t.Fatalf("recorded path %q", got)
	}
}

func TestRoutesRejectUnknownShapes(t *testing.T) {
	srv := New(t)
	tests := []struct {
		method, path string
		code         int
	}{
		{http.MethodGet, "/api/v1/pods/x", http.StatusNotFound},                                 // named pod without namespace
		{http.MethodGet, "/api/v1/namespaces/default/nodes", http.StatusNotFound},               // cluster-scoped under a namespace
		{http.MethodGet, "/api/v1/namespaces/default/configmaps/a/status", http.StatusNotFound}, // no status subresource
		{http.MethodGet, "/api/v1/namespaces/default/pods/a/log", http.StatusNotFound},
		{http.MethodPost, "/api/v1/pods", http.StatusMethodNotAllowed},
		{http.MethodDelete, "/api/v1/namespaces/default/pods/a/status", http.StatusMethodNotAllowed},
		{http.MethodGet, "/nothing", http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			if r := do(t, srv, tt.method, tt.path, "application/json", ""); r.code != tt.code {
				t.Fatalf("got %d %s, want %d", r.code, r.raw, tt.code)
			}
		})
	}
}
