package fakeapi

import (
	"encoding/json"
	"fmt"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
)

// Put stores obj as given, creating or replacing it without HTTP, status
// and finalizers included: the way to seed state a test needs. It fills
// apiVersion and kind, a uid, creationTimestamp and generation 1 when
// absent (keeping those of the object it replaces), assigns the next
// resourceVersion and notifies watchers. It returns the stored object.
// Put panics if gvr is not registered.
func (s *Server) Put(gvr schema.GroupVersionResource, obj *unstructured.Unstructured) (*unstructured.Unstructured, error) {
	res := s.reg.mustGet(gvr)
	raw, err := json.Marshal(obj.Object)
	if err != nil {
		return nil, fmt.Errorf("put %s: %w", gvr.Resource, err)
	}
	data, err := decodeMap(raw)
	if err != nil {
		return nil, fmt.Errorf("put %s: %w", gvr.Resource, err)
	}
	if data, err = res.normalize(data); err != nil {
		return nil, fmt.Errorf("put %s: %w", gvr.Resource, err)
	}
	u := &unstructured.Unstructured{Object: data}
	if !res.namespaced {
		u.SetNamespace("")
	}
	key := u.GetName()
	if res.namespaced {
		key = u.GetNamespace() + "/" + key
	}
	if u.GetName() == "" || (res.namespaced && u.GetNamespace() == "") {
		return nil, fmt.Errorf("put %s %q: name and, for namespaced kinds, namespace are required", gvr.Resource, key)
	}
	o, err := s.store.mutate(res, u.GetNamespace(), u.GetName(), func(cur *object) (mutation, error) {
		old := &unstructured.Unstructured{Object: map[string]any{}}
		if cur != nil {
			old.Object = cur.data
		}
		if u.GetUID() == "" {
			uid := old.GetUID()
			if uid == "" {
				uid = types.UID(newUID())
			}
			u.SetUID(uid)
		}
		if ts := u.GetCreationTimestamp(); ts.IsZero() {
			ts = old.GetCreationTimestamp()
			if ts.IsZero() {
				ts = now()
			}
			u.SetCreationTimestamp(ts)
		}
		if u.GetGeneration() == 0 {
			u.SetGeneration(max(old.GetGeneration(), 1))
		}
		return mutation{data: u.Object}, nil
	})
	if err != nil {
		return nil, fmt.Errorf("put %s %q: %w", gvr.Resource, key, err)
	}
	return o.unstructured(), nil
}

// Get returns a copy of the stored object; namespace is ignored for
// cluster-scoped kinds. Get panics if gvr is not registered.
func (s *Server) Get(gvr schema.GroupVersionResource, namespace, name string) (*unstructured.Unstructured, bool) {
	res := s.reg.mustGet(gvr)
	if !res.namespaced {
		namespace = ""
	}
	o := s.store.get(res, namespace, name)
	if o == nil {
		return nil, false
	}
	return o.unstructured(), true
}

// Delete removes the object at once, finalizers or not, and notifies
// watchers; false if there was none. Delete panics if gvr is not
// registered.
func (s *Server) Delete(gvr schema.GroupVersionResource, namespace, name string) bool {
	res := s.reg.mustGet(gvr)
	if !res.namespaced {
		namespace = ""
	}
	_, err := s.store.mutate(res, namespace, name, func(cur *object) (mutation, error) {
		return mutation{remove: true}, nil
	})
	return err == nil
}

// Objects returns copies of every stored object of gvr in every namespace,
// ordered by namespace and name. Objects panics if gvr is not registered.
func (s *Server) Objects(gvr schema.GroupVersionResource) []*unstructured.Unstructured {
	objs, _, _ := s.store.list(s.reg.mustGet(gvr), 0)
	out := make([]*unstructured.Unstructured, len(objs))
	for i, o := range objs {
		out[i] = o.unstructured()
	}
	return out
}

// Revision is the store's current revision: the resourceVersion of the
// latest change.
func (s *Server) Revision() int64 { return s.store.revision() }
