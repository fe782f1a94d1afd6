package storage

import "sync"

// maxSharedFieldSets bounds the distinct managedFields field sets shared
// by one resource: past it new ones are simply not shared. Sets are kept
// for the server's life, never evicted: a resource's objects carry a few
// dozen distinct ones, as many as the ways they are written.
const maxSharedFieldSets = 1024

// fieldSets shares the managedFields bytes that many objects carry alike
// (every pod one controller or client creates records the same field set):
// the objects this store decodes point at one copy of each set instead of
// a copy each, a few hundred bytes per object kept in the watch cache.
// The bytes are never changed in place: a write records a new set.
type fieldSets struct {
	mu   sync.Mutex
	sets map[string][]byte
}

// share points obj's managedFields at the shared copies of their sets.
func (f *fieldSets) share(obj Object) {
	entries := obj.GetManagedFields()
	if len(entries) == 0 {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.sets == nil {
		f.sets = map[string][]byte{}
	}
	for i := range entries {
		v1 := entries[i].FieldsV1
		if v1 == nil || len(v1.Raw) == 0 {
			continue
		}
		if shared, ok := f.sets[string(v1.Raw)]; ok {
			v1.Raw = shared
		} else if len(f.sets) < maxSharedFieldSets {
			f.sets[string(v1.Raw)] = v1.Raw
		}
	}
}
