package fakeapi

import (
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

func TestPutGetDelete(t *testing.T) {
	srv := New(t)
	first := put(t, srv, Pods, map[string]any{
		"metadata": map[string]any{"namespace": "default", "name": "p", "finalizers": []any{"x/y"}},
		"status":   map[string]any{"phase": "Running"},
	})
	created := first.GetCreationTimestamp()
	if first.GetKind() != "Pod" || first.GetAPIVersion() != "v1" || first.GetUID() == "" || first.GetGeneration() != 1 ||
		first.GetResourceVersion() == "" || created.IsZero() {
		t.Fatalf("Put did not fill server fields: %v", first.Object)
	}
	if phase, _, _ := unstructured.NestedString(first.Object, "status", "phase"); phase != "Running" {
		t.Fatalf("Put keeps status as given: %v", first.Object)
	}
	second := put(t, srv, Pods, map[string]any{"metadata": map[string]any{"namespace": "default", "name": "p"}})
	if second.GetUID() != first.GetUID() || second.GetResourceVersion() == first.GetResourceVersion() {
		t.Fatalf("replacing keeps uid and moves resourceVersion: %v", second.Object)
	}
	got, ok := srv.Get(Pods, "default", "p")
	if !ok || got.GetResourceVersion() != second.GetResourceVersion() {
		t.Fatalf("Get: %v %v", ok, got)
	}
	got.SetLabels(map[string]string{"mutated": "copy"})
	if again, _ := srv.Get(Pods, "default", "p"); len(again.GetLabels()) != 0 {
		t.Fatal("Get returned the stored object, not a copy")
	}
	if node := put(t, srv, Nodes, map[string]any{"metadata": map[string]any{"name": "n", "namespace": "x"}}); node.GetNamespace() != "" {
		t.Fatalf("cluster-scoped Put kept a namespace: %v", node.Object)
	}
	if _, ok := srv.Get(Nodes, "ignored", "n"); !ok {
		t.Fatal("Get ignores the namespace of cluster-scoped kinds")
	}
	if !srv.Delete(Pods, "default", "p") || srv.Delete(Pods, "default", "p") {
		t.Fatal("Delete should report whether the object was there")
	}
	if len(srv.Objects(Pods)) != 0 || len(srv.Objects(Nodes)) != 1 {
		t.Fatal("Objects after Delete")
	}
}

func TestPutErrors(t *testing.T) {
	srv := New(t)
	for name, obj := range map[string]map[string]any{
		"no name":      {"metadata": map[string]any{"namespace": "default"}},
		"no namespace": {"metadata": map[string]any{"name": "a"}},
		"wrong type":   {"metadata": map[string]any{"namespace": "default", "name": "a"}, "data": 5},
	} {
		if _, err := srv.Put(ConfigMaps, &unstructured.Unstructured{Object: obj}); err == nil {
			t.Errorf("%s: Put succeeded", name)
		}
	}
}

func TestRegisterCustomResource(t *testing.T) {
	srv := New(t)
	gvr := schema.GroupVersionResource{Group: "example.com", Version: "v1", Resource: "clusterwidgets"}
	srv.Register(gvr, "ClusterWidget", false, WithStatusSubresource())
	w := put(t, srv, gvr, map[string]any{"metadata": map[string]any{"name": "w"}, "spec": map[string]any{"anything": []any{1, "two"}}})
	if w.GetAPIVersion() != "example.com/v1" || w.GetKind() != "ClusterWidget" {
		t.Fatalf("got %v", w.Object)
	}
	r := do(t, srv, "GET", "/apis/example.com/v1/clusterwidgets", "", "")
	item := r.body["items"].([]any)[0].(map[string]any)
	if item["kind"] != "ClusterWidget" {
		t.Fatalf("custom kinds keep kind in list items: %s", r.raw)
	}
	if r := do(t, srv, "PUT", "/apis/example.com/v1/clusterwidgets/w/status", "application/json", `{"metadata":{"name":"w"},"status":{"ok":true}}`); r.code != 200 || lookup(r.body, "status.ok") != true {
		t.Fatalf("custom status subresource: %d %s", r.code, r.raw)
	}
	defer func() {
		if recover() == nil {
			t.Fatal("registering twice should panic")
		}
	}()
	srv.Register(gvr, "ClusterWidget", false)
}
