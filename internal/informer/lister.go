package informer

import (
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// Reader is what a Lister reads: *Indexer is one.
type Reader interface {
	List() []Object
	GetByKey(key string) (Object, bool)
	ByIndex(indexName, value string) ([]Object, error)
}

// Lister reads typed objects from an informer's store, for example
// NewLister[corev1.Pod](inf.GetIndexer(), corev1.Resource("pods")).
//
// The objects it returns are the cache's own, shared with every other
// reader: never mutate them; DeepCopy first.
type Lister[T any, PT interface {
	*T
	Object
}] struct {
	store    Reader
	resource schema.GroupResource
}

// NewLister returns a Lister over store; resource names the objects in
// NotFound errors.
func NewLister[T any, PT interface {
	*T
	Object
}](store Reader, resource schema.GroupResource) Lister[T, PT] {
	return Lister[T, PT]{store: store, resource: resource}
}

// List returns the objects, in every namespace, whose labels match selector
// (nil matches everything).
func (l Lister[T, PT]) List(selector labels.Selector) ([]PT, error) {
	return filterTyped[T, PT](l.store.List(), selector)
}

// Get returns the cluster-scoped object with the given name, or a NotFound
// *StatusError.
func (l Lister[T, PT]) Get(name string) (PT, error) {
	return l.get(name, name)
}

// Namespace narrows the Lister to one namespace; "" (metav1.NamespaceAll)
// narrows nothing: List lists everything and Get reads cluster-scoped keys.
func (l Lister[T, PT]) Namespace(namespace string) NamespaceLister[T, PT] {
	return NamespaceLister[T, PT]{l: l, namespace: namespace}
}

func (l Lister[T, PT]) get(key, name string) (PT, error) {
	obj, ok := l.store.GetByKey(key)
	if !ok {
		return nil, apierrors.NewNotFound(l.resource, name)
	}
	typed, ok := obj.(PT)
	if !ok {
		return nil, fmt.Errorf("%s %q: store holds %T", l.resource, key, obj)
	}
	return typed, nil
}

// NamespaceLister reads the objects of one namespace.
type NamespaceLister[T any, PT interface {
	*T
	Object
}] struct {
	l         Lister[T, PT]
	namespace string
}

// List returns the namespace's objects whose labels match selector (nil
// matches everything).
func (n NamespaceLister[T, PT]) List(selector labels.Selector) ([]PT, error) {
	if n.namespace == "" {
		return n.l.List(selector)
	}
	objs, err := n.l.store.ByIndex(NamespaceIndex, n.namespace)
	if err != nil {
		// A store without the namespace index: look at everything.
		objs = nil
		for _, obj := range n.l.store.List() {
			if obj.GetNamespace() == n.namespace {
				objs = append(objs, obj)
			}
		}
	}
	return filterTyped[T, PT](objs, selector)
}

// Get returns the namespace's object with the given name, or a NotFound
// *StatusError.
func (n NamespaceLister[T, PT]) Get(name string) (PT, error) {
	if n.namespace == "" {
		return n.l.get(name, name)
	}
	return n.l.get(n.namespace+"/"+name, name)
}

func filterTyped[T any, PT interface {
	*T
	Object
}](objs []Object, selector labels.Selector) ([]PT, error) {
	if selector == nil {
		selector = labels.Everything()
	}
	out := make([]PT, 0, len(objs))
	for _, obj := range objs {
		typed, ok := obj.(PT)
		if !ok {
			var want PT
			return nil, fmt.Errorf("store holds %T, not %T", obj, want)
		}
		if selector.Matches(labels.Set(typed.GetLabels())) {
			out = append(out, typed)
		}
	}
	return out, nil
}
