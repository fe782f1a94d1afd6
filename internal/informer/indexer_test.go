package informer

import (
	"errors"
	"slices"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func pod(ns, name, node string, labels map[string]string) *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name, Labels: labels},
		Spec:       corev1.PodSpec{NodeName: node},
	}
}

func byNode(obj Object) ([]string, error) {
	p, ok := obj.(*corev1.Pod)
	if !ok {
		return nil, errors.New("not a pod")
	}
	if p.Spec.NodeName == "" {
		return nil, nil
	}
	return []string{p.Spec.NodeName}, nil
}

// byLabelValues files a pod under each of its label values.
func byLabelValues(obj Object) ([]string, error) {
	var out []string
	for _, v := range obj.GetLabels() {
		out = append(out, v)
	}
	return out, nil
}

func sorted(s []string) []string {
	slices.Sort(s)
	return s
}

func keysOf(objs []Object) []string {
	out := make([]string, 0, len(objs))
	for _, o := range objs {
		out = append(out, keyOf(o))
	}
	return sorted(out)
}

func TestIndexerMaintainsIndices(t *testing.T) {
	type op struct {
		kind string // add, update, delete, replace
		objs []Object
	}
	tests := []struct {
		name      string
		ops       []op
		wantKeys  []string
		wantNode  map[string][]string // node → keys
		wantNS    map[string][]string
		wantNodes []string // ListIndexFuncValues
	}{{
		name:      "add",
		ops:       []op{{"add", []Object{pod("a", "p1", "n1", nil), pod("a", "p2", "n1", nil), pod("b", "p1", "n2", nil)}}},
		wantKeys:  []string{"a/p1", "a/p2", "b/p1"},
		wantNode:  map[string][]string{"n1": {"a/p1", "a/p2"}, "n2": {"b/p1"}},
		wantNS:    map[string][]string{"a": {"a/p1", "a/p2"}, "b": {"b/p1"}},
		wantNodes: []string{"n1", "n2"},
	}, {
		name: "update moves the object between values",
		ops: []op{
			{"add", []Object{pod("a", "p1", "n1", nil), pod("a", "p2", "n1", nil)}},
			{"update", []Object{pod("a", "p1", "n2", nil)}},
		},
		wantKeys:  []string{"a/p1", "a/p2"},
		wantNode:  map[string][]string{"n1": {"a/p2"}, "n2": {"a/p1"}},
		wantNodes: []string{"n1", "n2"},
	}, {
		name: "update to no value unfiles; empty values disappear",
		ops: []op{
			{"add", []Object{pod("a", "p1", "n1", nil)}},
			{"update", []Object{pod("a", "p1", "", nil)}},
		},
		wantKeys:  []string{"a/p1"},
		wantNode:  map[string][]string{"n1": {}},
		wantNodes: []string{},
	}, {
		name: "delete",
		ops: []op{
			{"add", []Object{pod("a", "p1", "n1", nil), pod("a", "p2", "n1", nil)}},
			{"delete", []Object{pod("a", "p1", "other", nil)}},
		},
		wantKeys:  []string{"a/p2"},
		wantNode:  map[string][]string{"n1": {"a/p2"}},
		wantNS:    map[string][]string{"a": {"a/p2"}},
		wantNodes: []string{"n1"},
	}, {
		name: "replace rebuilds",
		ops: []op{
			{"add", []Object{pod("a", "p1", "n1", nil), pod("a", "p2", "n1", nil)}},
			{"replace", []Object{pod("a", "p2", "n3", nil), pod("c", "p9", "n3", nil)}},
		},
		wantKeys:  []string{"a/p2", "c/p9"},
		wantNode:  map[string][]string{"n1": {}, "n3": {"a/p2", "c/p9"}},
		wantNS:    map[string][]string{"a": {"a/p2"}, "c": {"c/p9"}},
		wantNodes: []string{"n3"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewIndexer(nil, Indexers{"node": byNode})
			for _, o := range tt.ops {
				var err error
				switch o.kind {
				case "replace":
					err = s.Replace(o.objs, "1")
				default:
					for _, obj := range o.objs {
						switch o.kind {
						case "add":
							err = errors.Join(err, s.Add(obj))
						case "update":
							err = errors.Join(err, s.Update(obj))
						case "delete":
							err = errors.Join(err, s.Delete(obj))
						}
					}
				}
				if err != nil {
					t.Fatalf("%s: %v", o.kind, err)
				}
			}
			if got := sorted(s.ListKeys()); !slices.Equal(got, tt.wantKeys) {
				t.Errorf("keys = %v, want %v", got, tt.wantKeys)
			}
			if got := keysOf(s.List()); !slices.Equal(got, tt.wantKeys) {
				t.Errorf("List = %v, want %v", got, tt.wantKeys)
			}
			for node, want := range tt.wantNode {
				keys, err := s.IndexKeys("node", node)
				if err != nil || !slices.Equal(sorted(keys), want) {
					t.Errorf("IndexKeys(node, %s) = %v, %v; want %v", node, keys, err, want)
				}
				objs, err := s.ByIndex("node", node)
				if err != nil || !slices.Equal(keysOf(objs), want) {
					t.Errorf("ByIndex(node, %s) = %v, %v; want %v", node, keysOf(objs), err, want)
				}
			}
			for ns, want := range tt.wantNS {
				objs, err := s.ByIndex(NamespaceIndex, ns)
				if err != nil || !slices.Equal(keysOf(objs), want) {
					t.Errorf("ByIndex(namespace, %s) = %v, %v; want %v", ns, keysOf(objs), err, want)
				}
			}
			if got := sorted(s.ListIndexFuncValues("node")); !slices.Equal(got, tt.wantNodes) {
				t.Errorf("ListIndexFuncValues(node) = %v, want %v", got, tt.wantNodes)
			}
		})
	}
}

func TestIndexerGet(t *testing.T) {
	s := NewIndexer(nil, nil)
	p := pod("a", "p1", "n1", nil)
	if err := s.Add(p); err != nil {
		t.Fatal(err)
	}
	if got, ok, err := s.Get(pod("a", "p1", "", nil)); err != nil || !ok || got != p {
		t.Errorf("Get = %v, %v, %v", got, ok, err)
	}
	if _, ok := s.GetByKey("a/p2"); ok {
		t.Error("GetByKey found a missing key")
	}
	s.DeleteByKey("a/p1")
	if s.Len() != 0 {
		t.Errorf("Len = %d after delete", s.Len())
	}
}

func TestIndexerAddIndexersLater(t *testing.T) {
	s := NewIndexer(nil, nil)
	for _, p := range []*corev1.Pod{
		pod("a", "p1", "n1", map[string]string{"app": "web", "tier": "front"}),
		pod("a", "p2", "n2", map[string]string{"app": "db"}),
	} {
		if err := s.Add(p); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.AddIndexers(Indexers{"node": byNode, "labels": byLabelValues}); err != nil {
		t.Fatal(err)
	}
	if keys, _ := s.IndexKeys("node", "n2"); !slices.Equal(keys, []string{"a/p2"}) {
		t.Errorf("IndexKeys(node, n2) = %v after AddIndexers", keys)
	}
	objs, err := s.Index("labels", pod("x", "y", "", map[string]string{"a": "web", "b": "db"}))
	if err != nil || !slices.Equal(keysOf(objs), []string{"a/p1", "a/p2"}) {
		t.Errorf("Index(labels) = %v, %v", keysOf(objs), err)
	}
	if err := s.AddIndexers(Indexers{"node": byNode}); err == nil {
		t.Error("adding an existing index succeeded")
	}
	if err := s.AddIndexers(Indexers{NamespaceIndex: MetaNamespaceIndexFunc}); err == nil {
		t.Error("replacing the namespace index succeeded")
	}
	if _, err := s.ByIndex("missing", "x"); err == nil {
		t.Error("ByIndex on a missing index succeeded")
	}
	if len(s.Indexers()) != 3 {
		t.Errorf("Indexers = %v, want namespace, node and labels", s.Indexers())
	}
}

func TestIndexerRefusesWhatItCannotIndex(t *testing.T) {
	s := NewIndexer(nil, Indexers{"node": byNode})
	node := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "n1"}}
	if err := s.Add(node); err == nil {
		t.Error("Add of an object the index function fails on succeeded")
	}
	if s.Len() != 0 {
		t.Error("a refused object was stored")
	}
	err := s.Replace([]Object{pod("a", "p1", "n1", nil), node}, "5")
	if err == nil {
		t.Error("Replace did not report the refused object")
	}
	if got := sorted(s.ListKeys()); !slices.Equal(got, []string{"a/p1"}) {
		t.Errorf("after Replace, keys = %v, want a/p1", got)
	}
	// The index stays consistent with the items.
	if keys, _ := s.IndexKeys("node", "n1"); !slices.Equal(keys, []string{"a/p1"}) {
		t.Errorf("IndexKeys = %v", keys)
	}
}

func TestIndexerUpdateRemovesWhatWasFiledEvenIfMutated(t *testing.T) {
	s := NewIndexer(nil, Indexers{"node": byNode})
	p := pod("a", "p1", "n1", nil)
	if err := s.Add(p); err != nil {
		t.Fatal(err)
	}
	p.Spec.NodeName = "n9" // a caller wrongly mutates the cached object
	if err := s.Update(pod("a", "p1", "n2", nil)); err != nil {
		t.Fatal(err)
	}
	if keys, _ := s.IndexKeys("node", "n1"); len(keys) != 0 {
		t.Errorf("n1 still lists %v", keys)
	}
	if got := s.ListIndexFuncValues("node"); !slices.Equal(got, []string{"n2"}) {
		t.Errorf("values = %v, want [n2]", got)
	}
}
