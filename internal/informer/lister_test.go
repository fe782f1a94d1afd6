package informer

import (
	"slices"
	"testing"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

func podNames(pods []*corev1.Pod) []string {
	var out []string
	for _, p := range pods {
		out = append(out, p.Namespace+"/"+p.Name)
	}
	slices.Sort(out)
	return out
}

func TestListerListsByNamespaceAndSelector(t *testing.T) {
	s := NewIndexer(nil, nil)
	for _, p := range []*corev1.Pod{
		pod("a", "web-1", "", map[string]string{"app": "web"}),
		pod("a", "web-2", "", map[string]string{"app": "web", "tier": "front"}),
		pod("a", "db-1", "", map[string]string{"app": "db"}),
		pod("b", "web-1", "", map[string]string{"app": "web"}),
	} {
		if err := s.Add(p); err != nil {
			t.Fatal(err)
		}
	}
	lister := NewLister[corev1.Pod](s, corev1.Resource("pods"))
	tests := []struct {
		name      string
		namespace string // "" with all=true: every namespace
		all       bool
		selector  labels.Selector
		want      []string
	}{
		{name: "everything", all: true, selector: labels.Everything(), want: []string{"a/db-1", "a/web-1", "a/web-2", "b/web-1"}},
		{name: "nil selector", all: true, want: []string{"a/db-1", "a/web-1", "a/web-2", "b/web-1"}},
		{name: "selector across namespaces", all: true, selector: labels.SelectorFromSet(labels.Set{"app": "web"}), want: []string{"a/web-1", "a/web-2", "b/web-1"}},
		{name: "namespace", namespace: "a", selector: labels.Everything(), want: []string{"a/db-1", "a/web-1", "a/web-2"}},
		{name: "namespace and selector", namespace: "a", selector: labels.SelectorFromSet(labels.Set{"tier": "front"}), want: []string{"a/web-2"}},
		{name: "NamespaceAll", namespace: metav1.NamespaceAll, selector: labels.SelectorFromSet(labels.Set{"app": "db"}), want: []string{"a/db-1"}},
		{name: "empty namespace", namespace: "c", want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []*corev1.Pod
			var err error
			if tt.all {
				got, err = lister.List(tt.selector)
			} else {
				got, err = lister.Namespace(tt.namespace).List(tt.selector)
			}
			if err != nil || !slices.Equal(podNames(got), tt.want) {
				t.Errorf("List = %v, %v; want %v", podNames(got), err, tt.want)
			}
		})
	}
}

func TestListerGet(t *testing.T) {
	s := NewIndexer(nil, nil)
	p := pod("a", "web-1", "", nil)
	node := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "n1"}}
	for _, o := range []Object{p, node} {
		if err := s.Add(o); err != nil {
			t.Fatal(err)
		}
	}
	pods := NewLister[corev1.Pod](s, corev1.Resource("pods"))
	if got, err := pods.Namespace("a").Get("web-1"); err != nil || got != p {
		t.Errorf("Get(a/web-1) = %v, %v", got, err)
	}
	_, err := pods.Namespace("b").Get("web-1")
	if !apierrors.IsNotFound(err) {
		t.Fatalf("Get of a missing pod = %v, want NotFound", err)
	}
	var status *apierrors.StatusError
	if !asStatus(err, &status) || status.ErrStatus.Details.Kind != "pods" || status.ErrStatus.Details.Name != "web-1" {
		t.Errorf("NotFound details = %+v", err)
	}

	nodes := NewLister[corev1.Node](s, corev1.Resource("nodes"))
	if got, err := nodes.Get("n1"); err != nil || got != node {
		t.Errorf("Get(n1) = %v, %v", got, err)
	}
	if _, err := nodes.Get("n2"); !apierrors.IsNotFound(err) {
		t.Errorf("Get(n2) = %v, want NotFound", err)
	}
	// The store holds a node under "n1": a pod lister says so rather than
	// returning the wrong type.
	if _, err := pods.Get("n1"); err == nil || apierrors.IsNotFound(err) {
		t.Errorf("pod Get of a node = %v, want a type error", err)
	}
}

func asStatus(err error, target **apierrors.StatusError) bool {
	s, ok := err.(*apierrors.StatusError)
	*target = s
	return ok
}

func TestListerOverUnstructured(t *testing.T) {
	s := NewIndexer(nil, nil)
	u := &unstructured.Unstructured{}
	u.SetAPIVersion("example.com/v1")
	u.SetKind("Widget")
	u.SetNamespace("a")
	u.SetName("w")
	u.SetLabels(map[string]string{"size": "big"})
	if err := s.Add(u); err != nil {
		t.Fatal(err)
	}
	widgets := NewLister[unstructured.Unstructured](s, schema.GroupResource{Group: "example.com", Resource: "widgets"})
	got, err := widgets.Namespace("a").List(labels.SelectorFromSet(labels.Set{"size": "big"}))
	if err != nil || len(got) != 1 || got[0] != u {
		t.Errorf("List = %v, %v", got, err)
	}
}
