package informer

import (
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/api/meta"
)

// KeyFunc names an object in a store.
type KeyFunc func(obj any) (string, error)

// DeletedFinalStateUnknown is the "tombstone" a handler's OnDelete receives
// when the informer learned of a deletion by relisting rather than from a
// watch event: the object was gone from the new list. Obj is the last state
// the informer knew, which may be older than the object's state at deletion.
type DeletedFinalStateUnknown struct {
	Key string
	Obj Object
}

// MetaNamespaceKeyFunc returns "namespace/name" for namespaced objects and
// "name" for cluster-scoped ones. It accepts a DeletedFinalStateUnknown (or a
// pointer to one) and returns its Key.
func MetaNamespaceKeyFunc(obj any) (string, error) {
	switch t := obj.(type) {
	case DeletedFinalStateUnknown:
		return t.Key, nil
	case *DeletedFinalStateUnknown:
		if t == nil {
			return "", fmt.Errorf("key of a nil tombstone")
		}
		return t.Key, nil
	}
	m, err := meta.Accessor(obj)
	if err != nil {
		return "", fmt.Errorf("key of %T: %w", obj, err)
	}
	if ns := m.GetNamespace(); ns != "" {
		return ns + "/" + m.GetName(), nil
	}
	return m.GetName(), nil
}

// SplitMetaNamespaceKey splits a key made by MetaNamespaceKeyFunc into its
// namespace (empty for cluster-scoped objects) and name.
func SplitMetaNamespaceKey(key string) (namespace, name string, err error) {
	parts := strings.Split(key, "/")
	switch len(parts) {
	case 1:
		return "", parts[0], nil
	case 2:
		return parts[0], parts[1], nil
	}
	return "", "", fmt.Errorf("unexpected key format: %q", key)
}
