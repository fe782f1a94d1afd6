package watchcache

import (
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"go.uber.org/zap"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/skiff-dev/skiff/apiserver/storage"
)

// entry is one object as the cache keeps it: its key, its resourceVersion,
// and its selectable fields once a field selector needed them, so that no
// other watcher or list calls GetAttrs again. Entries never change but for
// that; a change of the object makes a new one.
type entry struct {
	key string
	rv  int64
	obj *CachedObject

	// The fields a field selector reads are computed the first time one
	// does: most watches and lists select by labels or not at all, and a
	// kind's field set is a map per object, kilobytes each.
	fieldOnce sync.Once
	fields    fields.Set
	attrsErr  bool // GetAttrs failed: only an empty field selector matches
}

// newEntry computes obj's key.
func (c *Cache) newEntry(obj storage.Object) *entry {
	e := &entry{key: c.cfg.KeyFunc(obj), obj: NewCachedObject(obj)}
	e.rv, _ = strconv.ParseInt(obj.GetResourceVersion(), 10, 64)
	return e
}

// labels are the object's labels, which every kind is selected by.
func (e *entry) labels() labels.Set { return labels.Set(e.obj.Object().GetLabels()) }

// selectableFields are the object's selectable fields, computed by
// getAttrs the first time; ok is false when they could not be.
func (e *entry) selectableFields(getAttrs storage.AttrFunc, logger *zap.Logger) (f fields.Set, ok bool) {
	e.fieldOnce.Do(func() {
		_, fs, err := getAttrs(e.obj.Object())
		if err != nil {
			e.attrsErr = true
			logger.Warn("object attributes", zap.String("key", e.key), zap.Error(err))
			return
		}
		e.fields = fs
	})
	return e.fields, !e.attrsErr
}

// store holds the current state, sorted by key, so that lists come out in
// key order and a namespace is one contiguous span.
type store struct {
	items []*entry
}

// newStore sorts entries by key; a key that repeats keeps its last entry.
func newStore(entries []*entry) store {
	slices.SortStableFunc(entries, func(a, b *entry) int { return strings.Compare(a.key, b.key) })
	out := entries[:0]
	for _, e := range entries {
		if n := len(out); n > 0 && out[n-1].key == e.key {
			out[n-1] = e
			continue
		}
		out = append(out, e)
	}
	clear(entries[len(out):])
	return store{items: out}
}

func (s *store) find(key string) (int, bool) {
	i := sort.Search(len(s.items), func(i int) bool { return s.items[i].key >= key })
	return i, i < len(s.items) && s.items[i].key == key
}

func (s *store) get(key string) *entry {
	if i, ok := s.find(key); ok {
		return s.items[i]
	}
	return nil
}

// put adds e or replaces the entry with its key.
func (s *store) put(e *entry) {
	i, ok := s.find(e.key)
	if ok {
		s.items[i] = e
		return
	}
	s.items = slices.Insert(s.items, i, e)
}

func (s *store) delete(key string) {
	if i, ok := s.find(key); ok {
		s.items = slices.Delete(s.items, i, i+1)
	}
}

// span returns the entries whose key starts with prefix, in key order. The
// slice is the store's own: read it under the cache's lock only.
func (s *store) span(prefix string) []*entry {
	if prefix == "" {
		return s.items
	}
	lo, _ := s.find(prefix)
	// Keys with the prefix are contiguous, and every key at or after the
	// prefix without it sorts after all of them.
	n := sort.Search(len(s.items)-lo, func(i int) bool {
		return !strings.HasPrefix(s.items[lo+i].key, prefix)
	})
	return s.items[lo : lo+n]
}

// matching returns a copy of the entries f selects.
func (s *store) matching(f *filter) []*entry {
	span := s.span(f.prefix)
	if f.everything {
		return slices.Clone(span)
	}
	var out []*entry
	for _, e := range span {
		if f.matches(e) {
			out = append(out, e)
		}
	}
	return out
}
