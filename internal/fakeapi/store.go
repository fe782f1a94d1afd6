package fakeapi

import (
	"fmt"
	"sort"
	"sync"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/watch"
)

// change is one entry of the history: one revision of one object.
type change struct {
	typ watch.EventType
	res *resource
	rev int64
	// obj is the state after the change; for a deletion, the last state
	// with the deletion's resourceVersion.
	obj *object
	// prev is the state before the change; nil for a creation.
	prev *object
}

// store keeps objects under one revision counter, as etcd does, with every
// change since the last compaction.
type store struct {
	mu        sync.Mutex
	rev       int64
	compacted int64
	objects   map[*resource]map[string]*object
	history   []change
	watchers  map[*watcher]struct{}
}

func newStore() *store {
	return &store{objects: map[*resource]map[string]*object{}, watchers: map[*watcher]struct{}{}}
}

// mutation is what a mutate function decides.
type mutation struct {
	data   map[string]any // the next state; nil (and !remove) leaves the object as it is
	remove bool
}

// revError says a revision cannot be served: older than the compaction
// (tooOld) or newer than the store.
type revError struct {
	tooOld             bool
	requested, current int64 // current is the compacted revision when tooOld
}

func (e *revError) Error() string {
	if e.tooOld {
		return fmt.Sprintf("revision %d is compacted (%d)", e.requested, e.current)
	}
	return fmt.Sprintf("revision %d is newer than the store (%d)", e.requested, e.current)
}

func (s *store) objectsOf(res *resource) map[string]*object {
	objs := s.objects[res]
	if objs == nil {
		objs = map[string]*object{}
		s.objects[res] = objs
	}
	return objs
}

func (s *store) revision() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rev
}

func (s *store) get(res *resource, namespace, name string) *object {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.objects[res][objectKey(namespace, name)]
}

// mutate runs fn on the current state of one object (nil when absent) with
// the store locked, and applies what fn decides as one new revision. It
// returns the stored state: for a removal, the last state with the deletion's
// resourceVersion; for no change, the current state.
func (s *store) mutate(res *resource, namespace, name string, fn func(cur *object) (mutation, error)) (*object, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	objs := s.objectsOf(res)
	key := objectKey(namespace, name)
	cur := objs[key]
	m, err := fn(cur)
	if err != nil {
		return nil, err
	}
	switch {
	case m.remove:
		if cur == nil {
			return nil, apierrors.NewNotFound(res.groupResource(), name)
		}
		s.rev++
		gone := cur.withRV(s.rev)
		delete(objs, key)
		s.record(change{typ: watch.Deleted, res: res, rev: s.rev, obj: gone, prev: cur})
		return gone, nil
	case m.data == nil:
		return cur, nil
	}
	setRV(m.data, s.rev+1)
	obj, err := newObject(m.data)
	if err != nil {
		return nil, apierrors.NewInternalError(fmt.Errorf("encode %s %q: %w", res.gvr.Resource, name, err))
	}
	if obj.key() != key {
		return nil, apierrors.NewInternalError(fmt.Errorf("object %s stored under key %s", obj.key(), key))
	}
	s.rev++
	objs[key] = obj
	typ := watch.Modified
	if cur == nil {
		typ = watch.Added
	}
	s.record(change{typ: typ, res: res, rev: s.rev, obj: obj, prev: cur})
	return obj, nil
}

// record appends c to the history and hands it to the watchers. Called
// with s.mu held.
func (s *store) record(c change) {
	s.history = append(s.history, c)
	for w := range s.watchers {
		if w.res != c.res || c.rev <= w.minRV {
			continue
		}
		f, ok := w.translate(c)
		if !ok {
			continue
		}
		select {
		case w.ch <- f:
		default:
			// Too far behind: close it, as upstream's watch cache closes
			// unresponsive watchers. The client resumes from its last
			// resourceVersion.
			delete(s.watchers, w)
			close(w.gone)
		}
	}
}

// list returns the objects of res as they were at revision at (0: now),
// sorted by key, and the revision they are from.
func (s *store) list(res *resource, at int64) ([]*object, int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rev := s.rev
	if at > 0 {
		if at < s.compacted {
			return nil, 0, &revError{tooOld: true, requested: at, current: s.compacted}
		}
		if at > s.rev {
			return nil, 0, &revError{requested: at, current: s.rev}
		}
		rev = at
	}
	state := make(map[string]*object, len(s.objects[res]))
	for k, o := range s.objects[res] {
		state[k] = o
	}
	// Undo the changes after rev, newest first.
	for i := len(s.history) - 1; i >= 0 && s.history[i].rev > rev; i-- {
		c := s.history[i]
		if c.res != res {
			continue
		}
		if c.typ == watch.Added {
			delete(state, c.obj.key())
		} else {
			state[c.prev.key()] = c.prev
		}
	}
	return sortedObjects(state), rev, nil
}

func sortedObjects(m map[string]*object) []*object {
	out := make([]*object, 0, len(m))
	for _, o := range m {
		out = append(out, o)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].key() < out[j].key() })
	return out
}

// compact forgets the history up to now, as etcd's compaction does, and
// tells bookmark watchers the current revision right away.
func (s *store) compact() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.compacted = s.rev
	s.history = nil
	s.bookmarkLocked()
}

// bookmarkAll sends a bookmark to every watcher that asked for them.
func (s *store) bookmarkAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.bookmarkLocked()
}

func (s *store) bookmarkLocked() {
	for w := range s.watchers {
		if w.bookmarks {
			s.sendBookmark(w)
		}
	}
}

// bookmark sends one watcher a bookmark at the current revision.
func (s *store) bookmark(w *watcher) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.watchers[w]; ok {
		s.sendBookmark(w)
	}
}

// sendBookmark queues a bookmark behind the events already queued, so its
// revision promises that they all came first. A full queue skips it.
func (s *store) sendBookmark(w *watcher) {
	select {
	case w.ch <- frame{typ: watch.Bookmark, rv: max(s.rev, w.minRV)}:
	default:
	}
}

// startWatch registers w and returns the events it starts with: with
// fromState the current objects as ADDED (and, for initialEnd, the bookmark
// that ends them); otherwise every change after revision from (-1: now).
func (s *store) startWatch(w *watcher, from int64, fromState, initialEnd bool) ([]frame, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if from < 0 {
		from = s.rev
	}
	var frames []frame
	if fromState {
		for _, o := range sortedObjects(s.objects[w.res]) {
			if w.match(o) {
				frames = append(frames, frame{typ: watch.Added, obj: o})
			}
		}
		w.minRV = max(s.rev, from)
		if initialEnd {
			frames = append(frames, frame{typ: watch.Bookmark, rv: w.minRV, initialEnd: true})
		}
	} else {
		if from < s.compacted {
			return nil, &revError{tooOld: true, requested: from, current: s.compacted}
		}
		first := sort.Search(len(s.history), func(i int) bool { return s.history[i].rev > from })
		for _, c := range s.history[first:] {
			if c.res != w.res {
				continue
			}
			if f, ok := w.translate(c); ok {
				frames = append(frames, f)
			}
		}
		w.minRV = from
	}
	s.watchers[w] = struct{}{}
	return frames, nil
}

func (s *store) stopWatch(w *watcher) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.watchers, w)
}
