package fakeapi

import (
	"io"
	"net/http"
	"reflect"
	"strconv"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/watch"
)

func TestWatchFromRevision(t *testing.T) {
	srv := New(t)
	a := put(t, srv, ConfigMaps, configMap("default", "a", nil))
	put(t, srv, ConfigMaps, configMap("default", "b", map[string]any{"k": "last"}))
	put(t, srv, ConfigMaps, configMap("default", "a", map[string]any{"k": "v"}))
	put(t, srv, ConfigMaps, configMap("other", "elsewhere", nil))
	put(t, srv, Pods, pod("default", "not-a-configmap", nil))
	if r := do(t, srv, http.MethodDelete, "/api/v1/namespaces/default/configmaps/b", "", ""); r.code != http.StatusOK {
		t.Fatalf("delete: %d %s", r.code, r.raw)
	}
	deletedAt := strconv.FormatInt(srv.Revision(), 10)

	ws := openWatch(t, srv, "/api/v1/namespaces/default/configmaps?watch=true&resourceVersion="+a.GetResourceVersion())
	want := []struct{ typ, name string }{{"ADDED", "b"}, {"MODIFIED", "a"}, {"DELETED", "b"}}
	for _, w := range want {
		ev := ws.next()
		if ev.Type != w.typ || name(ev) != w.name {
			t.Fatalf("got %s %s, want %s %s", ev.Type, name(ev), w.typ, w.name)
		}
		if ev.Object["kind"] != "ConfigMap" || ev.Object["apiVersion"] != "v1" {
			t.Fatalf("event objects carry their type: %v", ev.Object)
		}
		if ev.Type == "DELETED" && (rvOf(ev.Object) != deletedAt || lookup(ev.Object, "data.k") != "last") {
			t.Fatalf("DELETED carries the last state at the deletion's revision %s: %v", deletedAt, ev.Object)
		}
	}
	put(t, srv, ConfigMaps, configMap("default", "c", nil))
	if ev := ws.next(); ev.Type != "ADDED" || name(ev) != "c" || rvOf(ev.Object) != strconv.FormatInt(srv.Revision(), 10) {
		t.Fatalf("live event: %+v", ev)
	}
}

func TestWatchStartsWithCurrentState(t *testing.T) {
	for _, rv := range []string{"", "0"} {
		t.Run("resourceVersion="+rv, func(t *testing.T) {
			srv := New(t)
			put(t, srv, Nodes, map[string]any{"metadata": map[string]any{"name": "n2"}})
			put(t, srv, Nodes, map[string]any{"metadata": map[string]any{"name": "n1"}})
			srv.Delete(Nodes, "", "n2")
			ws := openWatch(t, srv, "/api/v1/nodes?watch=1&resourceVersion="+rv)
			if ev := ws.next(); ev.Type != "ADDED" || name(ev) != "n1" {
				t.Fatalf("synthetic event: %+v", ev)
			}
			put(t, srv, Nodes, map[string]any{"metadata": map[string]any{"name": "n1", "labels": map[string]any{"x": "y"}}})
			if ev := ws.next(); ev.Type != "MODIFIED" || name(ev) != "n1" {
				t.Fatalf("live event: %+v", ev)
			}
		})
	}
}

func TestWatchTooOldResourceVersion(t *testing.T) {
	srv := New(t)
	old := put(t, srv, ConfigMaps, configMap("default", "a", nil)).GetResourceVersion()
	put(t, srv, ConfigMaps, configMap("default", "b", nil))
	srv.Compact()
	compacted := srv.Revision()
	put(t, srv, ConfigMaps, configMap("default", "c", nil))

	ws := openWatch(t, srv, "/api/v1/configmaps?watch=1&resourceVersion="+old)
	ev := ws.next()
	if ev.Type != "ERROR" || ev.Object["kind"] != "Status" || ev.Object["code"] != float64(http.StatusGone) || ev.Object["reason"] != "Expired" ||
		ev.Object["message"] != "too old resource version: "+old+" ("+strconv.FormatInt(compacted, 10)+")" {
		t.Fatalf("got %+v", ev)
	}
	if err := ws.end(); err != io.EOF {
		t.Fatalf("stream should end cleanly after the ERROR, got %v", err)
	}
	// From the compacted revision on, the history is still there.
	ws = openWatch(t, srv, "/api/v1/configmaps?watch=1&resourceVersion="+strconv.FormatInt(compacted, 10))
	if ev := ws.next(); ev.Type != "ADDED" || name(ev) != "c" {
		t.Fatalf("watch from the compacted revision: %+v", ev)
	}
}

func TestWatchBookmarks(t *testing.T) {
	srv := New(t, WithBookmarkInterval(0))
	put(t, srv, Pods, pod("default", "p", nil))
	ws := openWatch(t, srv, "/api/v1/namespaces/default/pods?watch=1&allowWatchBookmarks=true&resourceVersion="+strconv.FormatInt(srv.Revision(), 10))
	plain := openWatch(t, srv, "/api/v1/namespaces/default/pods?watch=1&resourceVersion="+strconv.FormatInt(srv.Revision(), 10))

	// Changes elsewhere move the revision; a bookmark reports it.
	put(t, srv, ConfigMaps, configMap("default", "c", nil))
	srv.SendBookmarks()
	ev := ws.next()
	want := map[string]any{"kind": "Pod", "apiVersion": "v1", "metadata": map[string]any{"resourceVersion": strconv.FormatInt(srv.Revision(), 10)}}
	if ev.Type != "BOOKMARK" || !reflect.DeepEqual(ev.Object, want) {
		t.Fatalf("got %s %v, want BOOKMARK %v", ev.Type, ev.Object, want)
	}
	// Compaction sends one right away.
	put(t, srv, ConfigMaps, configMap("default", "d", nil))
	srv.Compact()
	if ev := ws.next(); ev.Type != "BOOKMARK" || rvOf(ev.Object) != strconv.FormatInt(srv.Revision(), 10) {
		t.Fatalf("after compaction: %+v", ev)
	}
	// A watch that did not ask gets none: its next event is the next change.
	put(t, srv, Pods, pod("default", "q", nil))
	if ev := plain.next(); ev.Type != "ADDED" || name(ev) != "q" {
		t.Fatalf("watch without bookmarks: %+v", ev)
	}
}

func TestWatchBookmarkInterval(t *testing.T) {
	srv := New(t, WithBookmarkInterval(10*time.Millisecond))
	ws := openWatch(t, srv, "/apis/coordination.k8s.io/v1/leases?watch=1&allowWatchBookmarks=1")
	if ev := ws.next(); ev.Type != "BOOKMARK" || ev.Object["kind"] != "Lease" || ev.Object["apiVersion"] != "coordination.k8s.io/v1" {
		t.Fatalf("got %+v", ev)
	}
}

func TestWatchSelectors(t *testing.T) {
	srv := New(t)
	ws := openWatch(t, srv, "/api/v1/namespaces/a/pods?watch=1&resourceVersion=0&labelSelector=app%3Dweb")
	fs := openWatch(t, srv, "/api/v1/pods?watch=1&resourceVersion=0&fieldSelector=spec.nodeName%3Dn1")

	p := pod("a", "x", map[string]any{"app": "db"})
	put(t, srv, Pods, p)                                                      // matches neither
	put(t, srv, Pods, pod("b", "y", map[string]any{"app": "web"}))            // other namespace
	entered := put(t, srv, Pods, pod("a", "x", map[string]any{"app": "web"})) // starts matching
	if ev := ws.next(); ev.Type != "ADDED" || name(ev) != "x" || rvOf(ev.Object) != entered.GetResourceVersion() {
		t.Fatalf("entering the selection: %+v", ev)
	}
	put(t, srv, Pods, pod("a", "x", map[string]any{"app": "web", "v": "2"}))
	if ev := ws.next(); ev.Type != "MODIFIED" {
		t.Fatalf("within the selection: %+v", ev)
	}
	left := put(t, srv, Pods, pod("a", "x", map[string]any{"app": "db"}))
	ev := ws.next()
	if ev.Type != "DELETED" || name(ev) != "x" || rvOf(ev.Object) != left.GetResourceVersion() || lookup(ev.Object, "metadata.labels.v") != "2" {
		t.Fatalf("leaving the selection is DELETED with the previous content at the change's revision %s: %+v", left.GetResourceVersion(), ev)
	}

	bound := pod("b", "y", map[string]any{"app": "web"})
	bound["spec"].(map[string]any)["nodeName"] = "n1"
	put(t, srv, Pods, bound)
	if ev := fs.next(); ev.Type != "ADDED" || name(ev) != "y" {
		t.Fatalf("field selector: %+v", ev)
	}
	srv.Delete(Pods, "b", "y")
	if ev := fs.next(); ev.Type != "DELETED" || name(ev) != "y" {
		t.Fatalf("field selector delete: %+v", ev)
	}
}

func TestWatchNamedObject(t *testing.T) {
	srv := New(t)
	put(t, srv, Leases, map[string]any{"metadata": map[string]any{"namespace": "ns", "name": "other"}})
	ws := openWatch(t, srv, "/apis/coordination.k8s.io/v1/namespaces/ns/leases/lock?watch=true")
	put(t, srv, Leases, map[string]any{"metadata": map[string]any{"namespace": "ns", "name": "other", "labels": map[string]any{"a": "b"}}})
	put(t, srv, Leases, map[string]any{"metadata": map[string]any{"namespace": "ns", "name": "lock"}})
	if ev := ws.next(); ev.Type != "ADDED" || name(ev) != "lock" {
		t.Fatalf("got %+v", ev)
	}
}

func TestWatchSendInitialEvents(t *testing.T) {
	srv := New(t)
	put(t, srv, ConfigMaps, configMap("default", "a", nil))
	ws := openWatch(t, srv, "/api/v1/configmaps?watch=1&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan")
	if ev := ws.next(); ev.Type != "ADDED" || name(ev) != "a" {
		t.Fatalf("initial event: %+v", ev)
	}
	ev := ws.next()
	if ev.Type != "BOOKMARK" ||
		lookup(ev.Object, "metadata.annotations").(map[string]any)[initialEventsEnd] != "true" ||
		rvOf(ev.Object) != strconv.FormatInt(srv.Revision(), 10) {
		t.Fatalf("end of initial events: %+v", ev)
	}
	r := do(t, srv, http.MethodGet, "/api/v1/configmaps?watch=1&sendInitialEvents=true", "", "")
	wantStatus(t, r, http.StatusUnprocessableEntity, "Invalid", "")
}

func TestWatchTimeout(t *testing.T) {
	t.Parallel()
	srv := New(t)
	ws := openWatch(t, srv, "/api/v1/pods?watch=1&timeoutSeconds=1")
	if err := ws.end(); err != io.EOF {
		t.Fatalf("timeoutSeconds should end the stream cleanly, got %v", err)
	}
}

func TestDropWatchesAfter(t *testing.T) {
	srv := New(t)
	for _, n := range []string{"a", "b", "c"} {
		put(t, srv, ConfigMaps, configMap("default", n, nil))
	}
	srv.DropWatchesAfter(2)
	ws := openWatch(t, srv, "/api/v1/configmaps?watch=1")
	if a, b := ws.next(), ws.next(); name(a) != "a" || name(b) != "b" {
		t.Fatalf("got %s, %s", name(a), name(b))
	}
	if err := ws.end(); err == nil || err == io.EOF {
		t.Fatalf("want an abrupt end (unexpected EOF), got %v", err)
	}
	srv.DropWatchesAfter(-1)
	ws = openWatch(t, srv, "/api/v1/configmaps?watch=1")
	for range 3 {
		ws.next()
	}
	put(t, srv, ConfigMaps, configMap("default", "d", nil))
	if ev := ws.next(); name(ev) != "d" {
		t.Fatalf("after turning drops off: %+v", ev)
	}
}

func TestCloseEndsWatches(t *testing.T) {
	srv := New(t)
	ws := openWatch(t, srv, "/api/v1/pods?watch=1")
	srv.Close()
	if err := ws.end(); err == nil {
		t.Fatal("stream still open after Close")
	}
}

func TestCloseClientConnections(t *testing.T) {
	srv := New(t)
	ws := openWatch(t, srv, "/api/v1/pods?watch=1")
	srv.CloseClientConnections()
	if err := ws.end(); err == nil {
		t.Fatal("stream still open after CloseClientConnections")
	}
	if r := do(t, srv, http.MethodGet, "/api/v1/pods", "", ""); r.code != http.StatusOK {
		t.Fatalf("server should serve new connections: %d", r.code)
	}
}

// A watcher whose queue is full is dropped, so writers never wait on it.
func TestSlowWatcherIsDropped(t *testing.T) {
	srv := New(t)
	res := srv.reg.mustGet(ConfigMaps)
	w := &watcher{res: res, match: func(*object) bool { return true }, ch: make(chan frame, 2), gone: make(chan struct{})}
	if _, err := srv.store.startWatch(w, -1, false, false); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"a", "b", "c"} {
		put(t, srv, ConfigMaps, configMap("default", n, nil))
	}
	select {
	case <-w.gone:
	default:
		t.Fatal("watcher not dropped")
	}
	if len(w.ch) != 2 || (<-w.ch).typ != watch.Added {
		t.Fatalf("queued events kept for draining: %d", len(w.ch))
	}
}
