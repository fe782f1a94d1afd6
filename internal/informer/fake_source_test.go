package informer

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/watch"
)

const testTimeout = 10 * time.Second

// fakeSource is an in-memory API server for ConfigMaps in namespace "ns":
// it keeps every change in a revisioned history, serves paginated lists and
// watches from any resourceVersion, and can drop watches, compact its
// history (410 for older resourceVersions and continue tokens), send
// bookmarks and ERROR events, hold watch calls and fail calls on demand.
type fakeSource struct {
	t *testing.T // for helpers that fail the test; may be nil

	mu        sync.Mutex
	rv        int64
	objects   map[string]*corev1.ConfigMap
	history   []watch.Event // every change and bookmark, oldest first
	compacted int64
	dropEvery int  // a watch closes after sending this many events (0: never)
	paused    bool // watches send nothing while paused
	changed   chan struct{}
	watches   map[*fakeWatch]struct{}
	pages     map[string]fakePage
	nextToken int

	listErrs, watchErrs []error // returned, one per call, before serving
	closeNext           int     // this many watches close at once, empty
	hold                chan struct{}
	afterList           func(call int) // called, unlocked, after each list

	listCalls  []metav1.ListOptions
	watchCalls []metav1.ListOptions
	listed     chan metav1.ListOptions // each list call
	watched    chan metav1.ListOptions // each watch call, once held or served
}

type fakePage struct {
	rv    int64
	items []*corev1.ConfigMap
}

func newFakeSource() *fakeSource {
	return &fakeSource{
		objects: map[string]*corev1.ConfigMap{},
		changed: make(chan struct{}),
		watches: map[*fakeWatch]struct{}{},
		pages:   map[string]fakePage{},
		listed:  make(chan metav1.ListOptions, 10000),
		watched: make(chan metav1.ListOptions, 10000),
	}
}

var _ ListerWatcher = (*fakeSource)(nil)

func rvString(rv int64) string { return strconv.FormatInt(rv, 10) }

func configMap(name, rv string, labels map[string]string) *corev1.ConfigMap {
	return &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: name, ResourceVersion: rv, Labels: labels}}
}

// broadcastLocked wakes the watches.
func (s *fakeSource) broadcastLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

func (s *fakeSource) recordLocked(t watch.EventType, obj *corev1.ConfigMap) {
	s.history = append(s.history, watch.Event{Type: t, Object: obj})
	s.broadcastLocked()
}

// set creates or updates ns/name and returns the stored state.
func (s *fakeSource) set(name string) *corev1.ConfigMap {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rv++
	key := "ns/" + name
	old, exists := s.objects[key]
	obj := configMap(name, rvString(s.rv), nil)
	evType := watch.Added
	if exists {
		obj = old.DeepCopy()
		obj.ResourceVersion = rvString(s.rv)
		evType = watch.Modified
	}
	obj.Data = map[string]string{"rv": obj.ResourceVersion}
	s.objects[key] = obj
	s.recordLocked(evType, obj)
	return obj
}

// remove deletes ns/name; its final state carries the deletion's revision.
func (s *fakeSource) remove(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := "ns/" + name
	old, ok := s.objects[key]
	if !ok {
		panic("fakeSource: remove of absent " + key)
	}
	s.rv++
	final := old.DeepCopy()
	final.ResourceVersion = rvString(s.rv)
	delete(s.objects, key)
	s.recordLocked(watch.Deleted, final)
}

// bump advances the revision without a change here (writes elsewhere).
func (s *fakeSource) bump(n int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rv += n
}

// bookmark queues a BOOKMARK at the current revision for every watch.
func (s *fakeSource) bookmark() {
	s.mu.Lock()
	defer s.mu.Unlock()
	bm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{ResourceVersion: rvString(s.rv)}}
	s.recordLocked(watch.Bookmark, bm)
}

// compact forgets every revision up to now: older watches and continue
// tokens get 410.
func (s *fakeSource) compact() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.compacted = s.rv
}

// setPaused stops or restarts the watches' delivery.
func (s *fakeSource) setPaused(p bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.paused = p
	s.broadcastLocked()
}

// expireWatches ends every open watch with an ERROR event: 410 Expired.
func (s *fakeSource) expireWatches() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for w := range s.watches {
		st := apierrors.NewResourceExpired("too old resource version").ErrStatus
		w.expire = &st
	}
	s.broadcastLocked()
}

// dropWatches closes every open watch cleanly, as a lost connection.
func (s *fakeSource) dropWatches() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for w := range s.watches {
		w.drop = true
	}
	s.broadcastLocked()
}

// holdWatches makes Watch calls block (after being recorded) until the
// returned function is called.
func (s *fakeSource) holdWatches() (release func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	hold := make(chan struct{})
	s.hold = hold
	return func() {
		s.mu.Lock()
		s.hold = nil
		s.mu.Unlock()
		close(hold)
	}
}

func (s *fakeSource) lists() []metav1.ListOptions {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.listCalls)
}

func (s *fakeSource) revision() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rv
}

// state returns key → resourceVersion of the current objects.
func (s *fakeSource) state() map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]string{}
	for k, o := range s.objects {
		out[k] = o.ResourceVersion
	}
	return out
}

// events returns the history after revision from, without bookmarks.
func (s *fakeSource) events(from int64) []watch.Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []watch.Event
	for _, ev := range s.history {
		rv, _ := strconv.ParseInt(ev.Object.(Object).GetResourceVersion(), 10, 64)
		if ev.Type != watch.Bookmark && rv > from {
			out = append(out, ev)
		}
	}
	return out
}

func (s *fakeSource) List(ctx context.Context, opts metav1.ListOptions) ([]Object, metav1.ListMeta, error) {
	s.mu.Lock()
	s.listCalls = append(s.listCalls, opts)
	call := len(s.listCalls)
	s.listed <- opts
	items, meta, err := s.listLocked(opts)
	after := s.afterList
	s.mu.Unlock()
	if after != nil {
		after(call)
	}
	return items, meta, err
}

func (s *fakeSource) listLocked(opts metav1.ListOptions) ([]Object, metav1.ListMeta, error) {
	if len(s.listErrs) > 0 {
		err := s.listErrs[0]
		s.listErrs = s.listErrs[1:]
		return nil, metav1.ListMeta{}, err
	}
	var page fakePage
	if opts.Continue != "" {
		var ok bool
		page, ok = s.pages[opts.Continue]
		if !ok || page.rv < s.compacted {
			return nil, metav1.ListMeta{}, apierrors.NewResourceExpired("continue token too old")
		}
		delete(s.pages, opts.Continue)
	} else {
		page.rv = s.rv
		for _, o := range s.objects {
			page.items = append(page.items, o)
		}
		slices.SortFunc(page.items, func(a, b *corev1.ConfigMap) int { return compareStrings(a.Name, b.Name) })
	}
	meta := metav1.ListMeta{ResourceVersion: rvString(page.rv)}
	items := page.items
	if opts.Limit > 0 && int64(len(items)) > opts.Limit {
		s.nextToken++
		meta.Continue = fmt.Sprintf("token-%d", s.nextToken)
		s.pages[meta.Continue] = fakePage{rv: page.rv, items: items[opts.Limit:]}
		items = items[:opts.Limit]
	}
	out := make([]Object, len(items))
	for i, o := range items {
		out[i] = o.DeepCopy()
	}
	return out, meta, nil
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (s *fakeSource) Watch(ctx context.Context, opts metav1.ListOptions) (watch.Interface, error) {
	s.mu.Lock()
	s.watchCalls = append(s.watchCalls, opts)
	hold := s.hold
	s.mu.Unlock()
	if hold != nil {
		// Report the call now, so the test knows it is held.
		s.watched <- opts
		select {
		case <-hold:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	} else {
		// Report the call once it is served (its watch registered).
		defer func() { s.watched <- opts }()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.watchErrs) > 0 {
		err := s.watchErrs[0]
		s.watchErrs = s.watchErrs[1:]
		return nil, err
	}
	from, err := strconv.ParseInt(opts.ResourceVersion, 10, 64)
	if err != nil {
		return nil, apierrors.NewBadRequest("bad resourceVersion " + opts.ResourceVersion)
	}
	if from < s.compacted {
		return nil, apierrors.NewResourceExpired(fmt.Sprintf("too old resource version: %d (%d)", from, s.compacted))
	}
	w := &fakeWatch{src: s, ch: make(chan watch.Event), stop: make(chan struct{}), bookmarks: opts.AllowWatchBookmarks}
	if s.closeNext > 0 {
		s.closeNext--
		close(w.ch)
		return w, nil
	}
	// Start after the last history entry at or before from.
	for w.next < len(s.history) {
		rv, _ := strconv.ParseInt(s.history[w.next].Object.(Object).GetResourceVersion(), 10, 64)
		if rv > from {
			break
		}
		w.next++
	}
	s.watches[w] = struct{}{}
	go w.run(s.dropEvery)
	return w, nil
}

// fakeWatch streams a fakeSource's history from a position.
type fakeWatch struct {
	src       *fakeSource
	ch        chan watch.Event
	stop      chan struct{}
	once      sync.Once
	bookmarks bool
	next      int            // guarded by src.mu
	expire    *metav1.Status // guarded by src.mu
	drop      bool           // guarded by src.mu
}

func (w *fakeWatch) ResultChan() <-chan watch.Event { return w.ch }

func (w *fakeWatch) Stop() {
	w.once.Do(func() { close(w.stop) })
}

func (w *fakeWatch) run(dropEvery int) {
	s := w.src
	defer func() {
		s.mu.Lock()
		delete(s.watches, w)
		s.mu.Unlock()
		close(w.ch)
	}()
	sent := 0
	for {
		s.mu.Lock()
		var ev *watch.Event
		for ev == nil && !s.paused && w.next < len(s.history) {
			h := s.history[w.next]
			w.next++
			if h.Type != watch.Bookmark || w.bookmarks {
				ev = &watch.Event{Type: h.Type, Object: h.Object.DeepCopyObject()}
			}
		}
		if w.expire != nil {
			ev = &watch.Event{Type: watch.Error, Object: w.expire}
		}
		drop, changed := w.drop, s.changed
		s.mu.Unlock()
		if drop {
			return
		}
		if ev == nil {
			select {
			case <-changed:
				continue
			case <-w.stop:
				return
			}
		}
		select {
		case w.ch <- *ev:
		case <-w.stop:
			return
		}
		if ev.Type == watch.Error {
			return
		}
		sent++
		if dropEvery > 0 && sent >= dropEvery {
			return
		}
	}
}

// recv takes the next value from ch or fails the test.
func recv[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(testTimeout):
		t.Fatalf("timed out waiting for %s", what)
		panic("unreachable")
	}
}
