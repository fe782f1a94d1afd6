package informer

import (
	"errors"
	"fmt"
	"sync"
)

// Indexer is a thread-safe store of objects by key, with secondary indices.
// The objects it returns are shared: callers must not mutate them (DeepCopy
// first).
//
// Every Indexer keeps NamespaceIndex; callers add their own with
// AddIndexers, before or after objects are present.
type Indexer struct {
	keyFunc KeyFunc

	mu      sync.RWMutex
	items   map[string]Object
	indices map[string]*index
}

// NewIndexer returns an empty Indexer that names objects with keyFunc (nil
// means MetaNamespaceKeyFunc) and keeps the given indices besides
// NamespaceIndex. It panics if indexers names NamespaceIndex.
func NewIndexer(keyFunc KeyFunc, indexers Indexers) *Indexer {
	if keyFunc == nil {
		keyFunc = MetaNamespaceKeyFunc
	}
	s := &Indexer{
		keyFunc: keyFunc,
		items:   map[string]Object{},
		indices: map[string]*index{NamespaceIndex: newIndex(MetaNamespaceIndexFunc)},
	}
	if err := s.AddIndexers(indexers); err != nil {
		panic(fmt.Sprintf("informer.NewIndexer: %v", err))
	}
	return s
}

// Add stores obj under its key, replacing any object with that key.
func (s *Indexer) Add(obj Object) error { return s.Update(obj) }

// Update stores obj under its key, replacing any object with that key, and
// refiles it in every index.
func (s *Indexer) Update(obj Object) error {
	key, err := s.keyFunc(obj)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	values, err := computeIndexValues(s.indices, key, obj)
	if err != nil {
		return err
	}
	s.items[key] = obj
	for name, ix := range s.indices {
		ix.set(key, values[name])
	}
	return nil
}

// Delete removes the object with obj's key.
func (s *Indexer) Delete(obj Object) error {
	key, err := s.keyFunc(obj)
	if err != nil {
		return err
	}
	s.DeleteByKey(key)
	return nil
}

// DeleteByKey removes the object stored under key, if any.
func (s *Indexer) DeleteByKey(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.items, key)
	for _, ix := range s.indices {
		ix.remove(key)
	}
}

// Get returns the stored object with obj's key.
func (s *Indexer) Get(obj Object) (Object, bool, error) {
	key, err := s.keyFunc(obj)
	if err != nil {
		return nil, false, err
	}
	got, ok := s.GetByKey(key)
	return got, ok, nil
}

// GetByKey returns the object stored under key.
func (s *Indexer) GetByKey(key string) (Object, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	obj, ok := s.items[key]
	return obj, ok
}

// List returns every stored object, in no particular order.
func (s *Indexer) List() []Object {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Object, 0, len(s.items))
	for _, obj := range s.items {
		out = append(out, obj)
	}
	return out
}

// ListKeys returns every key, in no particular order.
func (s *Indexer) ListKeys() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]string, 0, len(s.items))
	for key := range s.items {
		out = append(out, key)
	}
	return out
}

// Len returns the number of stored objects.
func (s *Indexer) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.items)
}

// Replace makes items the store's whole contents and rebuilds the indices.
// The resourceVersion is the list's; the Indexer does not keep it. Items
// whose key or index values cannot be computed are left out, and the error
// names each of them.
func (s *Indexer) Replace(items []Object, resourceVersion string) error {
	fresh := make(map[string]Object, len(items))
	var errs []error
	s.mu.Lock()
	defer s.mu.Unlock()
	indices := make(map[string]*index, len(s.indices))
	for name, ix := range s.indices {
		indices[name] = newIndex(ix.fn)
	}
	for _, obj := range items {
		key, err := s.keyFunc(obj)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		values, err := computeIndexValues(indices, key, obj)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		fresh[key] = obj
		for name, ix := range indices {
			ix.set(key, values[name])
		}
	}
	s.items, s.indices = fresh, indices
	if len(errs) > 0 {
		return fmt.Errorf("replace at resourceVersion %q: %w", resourceVersion, errors.Join(errs...))
	}
	return nil
}

// snapshot returns a copy of the key → object map, for the informer's
// relist diff.
func (s *Indexer) snapshot() map[string]Object {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make(map[string]Object, len(s.items))
	for k, v := range s.items {
		out[k] = v
	}
	return out
}
