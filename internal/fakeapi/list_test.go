package fakeapi

import (
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"testing"
)

func names(t *testing.T, r response) []string {
	t.Helper()
	if r.code != http.StatusOK {
		t.Fatalf("list: %d %s", r.code, r.raw)
	}
	items, _ := r.body["items"].([]any)
	out := []string{}
	for _, it := range items {
		m := it.(map[string]any)
		out = append(out, lookup(m, "metadata.namespace").(string)+"/"+lookup(m, "metadata.name").(string))
	}
	return out
}

func seedPods(t *testing.T, srv *Server) {
	t.Helper()
	running := func(p map[string]any, node, phase string) map[string]any {
		p["spec"].(map[string]any)["nodeName"] = node
		p["status"] = map[string]any{"phase": phase}
		return p
	}
	put(t, srv, Pods, running(pod("a", "web-1", map[string]any{"app": "web", "tier": "front"}), "n1", "Running"))
	put(t, srv, Pods, running(pod("a", "web-2", map[string]any{"app": "web"}), "n2", "Pending"))
	put(t, srv, Pods, running(pod("a", "db", map[string]any{"app": "db", "tier": "back"}), "n1", "Running"))
	put(t, srv, Pods, running(pod("b", "web-3", map[string]any{"app": "web", "tier": "front"}), "", "Pending"))
}

func TestListSelectors(t *testing.T) {
	srv := New(t)
	seedPods(t, srv)
	tests := []struct {
		name, path, query string
		want              []string
	}{
		{"all namespaces", "/api/v1/pods", "", []string{"a/db", "a/web-1", "a/web-2", "b/web-3"}},
		{"one namespace", "/api/v1/namespaces/b/pods", "", []string{"b/web-3"}},
		{"label equality", "/api/v1/pods", "labelSelector=app%3Dweb", []string{"a/web-1", "a/web-2", "b/web-3"}},
		{"label inequality", "/api/v1/pods", "labelSelector=app!%3Dweb", []string{"a/db"}},
		{"label set-based", "/api/v1/pods", "labelSelector=" + url.QueryEscape("tier in (front,back),app notin (db)"), []string{"a/web-1", "b/web-3"}},
		{"label exists", "/api/v1/namespaces/a/pods", "labelSelector=!tier", []string{"a/web-2"}},
		{"field name", "/api/v1/pods", "fieldSelector=metadata.name%3Dweb-2", []string{"a/web-2"}},
		{"field namespace", "/api/v1/pods", "fieldSelector=metadata.namespace!%3Da", []string{"b/web-3"}},
		{"field spec", "/api/v1/pods", "fieldSelector=spec.nodeName%3Dn1", []string{"a/db", "a/web-1"}},
		{"field empty means unset", "/api/v1/pods", "fieldSelector=spec.nodeName%3D", []string{"b/web-3"}},
		{"field status and label", "/api/v1/pods", "fieldSelector=status.phase%3DPending&labelSelector=app%3Dweb", []string{"a/web-2", "b/web-3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := do(t, srv, http.MethodGet, tt.path+"?"+tt.query, "", "")
			if got := names(t, r); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			if r.str("kind") != "PodList" || r.str("metadata.resourceVersion") != strconv.FormatInt(srv.Revision(), 10) {
				t.Fatalf("list meta: %s", r.raw)
			}
		})
	}
	r := do(t, srv, http.MethodGet, "/api/v1/pods?labelSelector=a%3D%3D%3Db", "", "")
	wantStatus(t, r, http.StatusBadRequest, "BadRequest", "")
	wantStatus(t, do(t, srv, http.MethodGet, "/api/v1/pods?fieldSelector=a", "", ""), http.StatusBadRequest, "BadRequest", "")
}

func TestListItemsShape(t *testing.T) {
	srv := New(t)
	put(t, srv, ConfigMaps, configMap("default", "a", nil))
	r := do(t, srv, http.MethodGet, "/api/v1/namespaces/default/configmaps", "", "")
	item := r.body["items"].([]any)[0].(map[string]any)
	if _, ok := item["kind"]; ok {
		t.Fatalf("typed list items carry no kind, as upstream: %s", r.raw)
	}
	empty := do(t, srv, http.MethodGet, "/api/v1/namespaces/other/configmaps", "", "")
	if items, ok := empty.body["items"].([]any); !ok || len(items) != 0 {
		t.Fatalf("an empty list has items [], got %s", empty.raw)
	}
}

func TestListPagination(t *testing.T) {
	srv := New(t)
	for i := 0; i < 5; i++ {
		put(t, srv, ConfigMaps, configMap("default", "cm-"+strconv.Itoa(i), nil))
	}
	first := do(t, srv, http.MethodGet, "/api/v1/namespaces/default/configmaps?limit=2", "", "")
	snapshot := first.str("metadata.resourceVersion")
	if got := names(t, first); !reflect.DeepEqual(got, []string{"default/cm-0", "default/cm-1"}) || first.num("metadata.remainingItemCount") != 3 {
		t.Fatalf("first page %v: %s", got, first.raw)
	}
	// Changes between pages do not show: the pages come from one snapshot.
	srv.Delete(ConfigMaps, "default", "cm-2")
	put(t, srv, ConfigMaps, configMap("default", "cm-25", nil))
	put(t, srv, ConfigMaps, configMap("default", "cm-3", map[string]any{"changed": "yes"}))

	var all []string
	all = append(all, names(t, first)...)
	token := first.str("metadata.continue")
	for token != "" {
		page := do(t, srv, http.MethodGet, "/api/v1/namespaces/default/configmaps?limit=2&continue="+url.QueryEscape(token), "", "")
		all = append(all, names(t, page)...)
		if page.str("metadata.resourceVersion") != snapshot {
			t.Fatalf("page from revision %s, first page from %s", page.str("metadata.resourceVersion"), snapshot)
		}
		for _, it := range page.body["items"].([]any) {
			if lookup(it.(map[string]any), "data.changed") != nil {
				t.Fatalf("page shows a later change: %s", page.raw)
			}
		}
		token = page.str("metadata.continue")
	}
	want := []string{"default/cm-0", "default/cm-1", "default/cm-2", "default/cm-3", "default/cm-4"}
	if !reflect.DeepEqual(all, want) {
		t.Fatalf("pages gave %v, want %v", all, want)
	}

	// Selectors fill pages with matches and leave remainingItemCount out.
	sel := do(t, srv, http.MethodGet, "/api/v1/namespaces/default/configmaps?limit=1&fieldSelector=metadata.name!%3Dcm-0", "", "")
	if got := names(t, sel); !reflect.DeepEqual(got, []string{"default/cm-1"}) || sel.str("metadata.continue") == "" || lookup(sel.body, "metadata.remainingItemCount") != nil {
		t.Fatalf("selected page: %s", sel.raw)
	}
	wantStatus(t, do(t, srv, http.MethodGet, "/api/v1/namespaces/default/configmaps?limit=1&continue=garbage", "", ""), http.StatusBadRequest, "BadRequest", "")
}

func TestListContinueAfterCompactIsGone(t *testing.T) {
	srv := New(t)
	for i := 0; i < 3; i++ {
		put(t, srv, ConfigMaps, configMap("default", "cm-"+strconv.Itoa(i), nil))
	}
	first := do(t, srv, http.MethodGet, "/api/v1/namespaces/default/configmaps?limit=1", "", "")
	put(t, srv, ConfigMaps, configMap("default", "cm-9", nil))
	srv.Compact()
	r := do(t, srv, http.MethodGet, "/api/v1/namespaces/default/configmaps?limit=1&continue="+url.QueryEscape(first.str("metadata.continue")), "", "")
	wantStatus(t, r, http.StatusGone, "Expired", continueExpiredMsg)
	// The token in the 410 continues inconsistently, from the current state.
	rest := do(t, srv, http.MethodGet, "/api/v1/namespaces/default/configmaps?continue="+url.QueryEscape(r.str("metadata.continue")), "", "")
	if got := names(t, rest); !reflect.DeepEqual(got, []string{"default/cm-1", "default/cm-2", "default/cm-9"}) {
		t.Fatalf("inconsistent continuation %v", got)
	}
}

func TestListResourceVersion(t *testing.T) {
	srv := New(t)
	put(t, srv, ConfigMaps, configMap("default", "a", nil))
	old := srv.Revision()
	put(t, srv, ConfigMaps, configMap("default", "b", nil))
	rv := strconv.FormatInt(old, 10)
	exact := do(t, srv, http.MethodGet, "/api/v1/configmaps?resourceVersion="+rv+"&resourceVersionMatch=Exact", "", "")
	if got := names(t, exact); !reflect.DeepEqual(got, []string{"default/a"}) || exact.str("metadata.resourceVersion") != rv {
		t.Fatalf("exact list %v: %s", got, exact.raw)
	}
	notOlder := do(t, srv, http.MethodGet, "/api/v1/configmaps?resourceVersion="+rv, "", "")
	if got := names(t, notOlder); len(got) != 2 {
		t.Fatalf("not-older-than list %v", got)
	}
	future := strconv.FormatInt(srv.Revision()+10, 10)
	wantStatus(t, do(t, srv, http.MethodGet, "/api/v1/configmaps?resourceVersion="+future, "", ""), http.StatusGatewayTimeout, "Timeout", "")
	wantStatus(t, do(t, srv, http.MethodGet, "/api/v1/configmaps?resourceVersionMatch=Exact", "", ""), http.StatusUnprocessableEntity, "Invalid", "")
	srv.Compact()
	wantStatus(t, do(t, srv, http.MethodGet, "/api/v1/configmaps?resourceVersion="+rv+"&resourceVersionMatch=Exact", "", ""),
		http.StatusGone, "Expired", listExpiredMsg)
}
