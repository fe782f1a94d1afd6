package informer

import "fmt"

// NamespaceIndex is the name of the index every Indexer keeps: objects by
// their namespace ("" for cluster-scoped objects).
const NamespaceIndex = "namespace"

// IndexFunc computes the values under which an object is indexed. It must
// depend only on the object and must not fail for well-formed objects.
type IndexFunc func(obj Object) ([]string, error)

// Indexers names index functions.
type Indexers map[string]IndexFunc

// MetaNamespaceIndexFunc indexes an object by its namespace.
func MetaNamespaceIndexFunc(obj Object) ([]string, error) {
	return []string{obj.GetNamespace()}, nil
}

// index is one named index: the keys under each value, and the values each
// key was filed under. Keeping the latter means an update or delete removes
// exactly what was added, even if the stored object has since been (wrongly)
// mutated in place.
type index struct {
	fn      IndexFunc
	byValue map[string]map[string]struct{}
	byKey   map[string][]string
}

func newIndex(fn IndexFunc) *index {
	return &index{fn: fn, byValue: map[string]map[string]struct{}{}, byKey: map[string][]string{}}
}

// set files key under values, replacing what it was filed under before.
func (ix *index) set(key string, values []string) {
	ix.remove(key)
	if len(values) == 0 {
		return
	}
	for _, v := range values {
		keys := ix.byValue[v]
		if keys == nil {
			keys = map[string]struct{}{}
			ix.byValue[v] = keys
		}
		keys[key] = struct{}{}
	}
	ix.byKey[key] = values
}

// remove unfiles key.
func (ix *index) remove(key string) {
	for _, v := range ix.byKey[key] {
		keys := ix.byValue[v]
		delete(keys, key)
		if len(keys) == 0 {
			delete(ix.byValue, v)
		}
	}
	delete(ix.byKey, key)
}

// compute runs every index function over obj, so that a failure leaves the
// store untouched.
func computeIndexValues(indices map[string]*index, key string, obj Object) (map[string][]string, error) {
	out := make(map[string][]string, len(indices))
	for name, ix := range indices {
		values, err := ix.fn(obj)
		if err != nil {
			return nil, fmt.Errorf("index %q of %q: %w", name, key, err)
		}
		out[name] = dedupe(values)
	}
	return out, nil
}

func dedupe(values []string) []string {
	if len(values) < 2 {
		return values
	}
	seen := make(map[string]struct{}, len(values))
	out := values[:0:0]
	for _, v := range values {
		if _, ok := seen[v]; !ok {
			seen[v] = struct{}{}
			out = append(out, v)
		}
	}
	return out
}
