package watchcache

import (
	"context"
	"fmt"
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/watch"

	"github.com/skiff-dev/skiff/apiserver/storage"
)

// WatchOptions are a watch request's options besides its revision and
// selection.
type WatchOptions struct {
	// AllowBookmarks: the watcher gets BOOKMARK events (allowWatchBookmarks).
	AllowBookmarks bool
	// SendInitialEvents is the request's sendInitialEvents: nil keeps the
	// legacy behaviour (initial ADDED events only for resourceVersion 0);
	// true sends the state as ADDED events once the cache has reached the
	// revision (resourceVersionMatch=NotOlderThan), then, with
	// AllowBookmarks, a BOOKMARK with InitialEventsEnd; false with revision
	// 0 starts from the current revision without initial events.
	SendInitialEvents *bool
}

// Watch starts a watch of the objects whose key starts with prefix and that
// pred selects (pred.GetAttrs is ignored: the cache uses Config.GetAttrs).
//
// fromRV 0 starts with an ADDED event for every selected object (sorted by
// key), then the changes after the cache's revision; fromRV above 0 sends
// the changes after fromRV, or fails with an *ExpiredError (wrapping
// storage.ErrExpired, 410 Gone) when some of them are no longer kept. A
// fromRV the cache has not reached yet is not waited for: the changes after
// it come when they happen, as upstream. With SendInitialEvents true a
// fromRV ahead of the cache is waited for (at most Config.WaitTimeout, then
// *TooLargeResourceVersionError). ErrNotReady while the cache is not ready.
//
// The watch ends when ctx ends, Stop is called, or the cache closes it
// (Err says why).
func (c *Cache) Watch(ctx context.Context, fromRV int64, prefix string, pred storage.Predicate, opts WatchOptions) (*Watcher, error) {
	if fromRV < 0 {
		return nil, fmt.Errorf("watch %s from %d: negative resource version", c.cfg.Resource, fromRV)
	}
	initial := fromRV == 0
	if opts.SendInitialEvents != nil {
		initial = *opts.SendInitialEvents
	}
	var err error
	if initial {
		err = c.rlockFresh(ctx, fromRV)
	} else {
		err = c.rlockReady()
	}
	if err != nil {
		return nil, fmt.Errorf("watch %s from %d: %w", c.cfg.Resource, fromRV, err)
	}
	defer c.mu.RUnlock()

	w := c.newWatcher(prefix, pred, opts.AllowBookmarks)
	var entries []*entry
	var events []WatchEvent
	switch {
	case initial:
		entries = c.store.matching(&w.filter)
		w.startRV = c.rev
		if opts.SendInitialEvents != nil && opts.AllowBookmarks {
			events = []WatchEvent{{Type: watch.Bookmark, ResourceVersion: c.rev, InitialEventsEnd: true}}
		}
	case fromRV == 0:
		w.startRV = c.rev
	default:
		evs, ok := c.ring.since(fromRV)
		if !ok {
			return nil, fmt.Errorf("watch %s: %w", c.cfg.Resource, &ExpiredError{Requested: fromRV, Oldest: c.ring.evictedRV})
		}
		for _, e := range evs {
			if we, ok := w.filter.convert(e); ok {
				events = append(events, we)
			}
		}
		w.startRV = max(fromRV, c.rev)
	}
	w.start(ctx, entries, events, c.cfg.WatchBuffer)
	c.addWatcher(w)
	stop := context.AfterFunc(ctx, w.Stop)
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		stop()
	} else {
		w.releaseCtx = stop
		w.mu.Unlock()
	}
	return w, nil
}

// Watcher is one watch served by the cache. Its events arrive on
// ResultChan in revision order; the channel closes when the watch ends.
//
// The dispatcher writes into out. Usually out is the result channel itself,
// holding the initial events first; when there are more initial events than
// fit, out is a separate buffer and a goroutine feeds result from the
// initial events, then from out.
type Watcher struct {
	cache     *Cache
	filter    filter
	bookmarks bool
	startRV   int64 // the initial events cover every change up to it
	out       chan WatchEvent
	result    chan WatchEvent
	stopCh    chan struct{}
	stopOnce  sync.Once

	mu         sync.Mutex // guards sending to and closing out
	closed     bool       // out is closed
	err        error
	releaseCtx func() bool

	// Owned by the dispatcher.
	lastSent       time.Time
	deadline       time.Time
	preTimeoutSent bool
}

func (c *Cache) newWatcher(prefix string, pred storage.Predicate, bookmarks bool) *Watcher {
	return &Watcher{
		cache:     c,
		filter:    c.newFilter(prefix, pred),
		bookmarks: bookmarks,
		stopCh:    make(chan struct{}),
		lastSent:  c.clock.Now(),
	}
}

// start makes w's channels and queues the initial events. The initial
// events go into the result channel when they fit in a buffer as large
// again; otherwise a goroutine feeds them.
func (w *Watcher) start(ctx context.Context, entries []*entry, events []WatchEvent, buffer int) {
	if d, ok := ctx.Deadline(); ok {
		w.deadline = w.lastSent.Add(time.Until(d))
	}
	n := len(entries) + len(events)
	if n > buffer {
		w.out = make(chan WatchEvent, buffer)
		w.result = make(chan WatchEvent)
		go w.feed(entries, events)
		return
	}
	w.out = make(chan WatchEvent, buffer+n)
	w.result = w.out
	for _, e := range entries {
		w.out <- addedEvent(e)
	}
	for _, ev := range events {
		w.out <- ev
	}
}

func addedEvent(e *entry) WatchEvent {
	return WatchEvent{Type: watch.Added, Object: e.obj.obj, ResourceVersion: e.rv, cached: e.obj}
}

// ResultChan returns the events; it is closed when the watch ends.
func (w *Watcher) ResultChan() <-chan WatchEvent { return w.result }

// Stop ends the watch; the result channel closes soon after, and the events
// still buffered may or may not be delivered.
func (w *Watcher) Stop() {
	w.stopOnce.Do(func() {
		close(w.stopCh) // frees a dispatcher blocked on w
		w.cache.removeWatcher(w)
		w.close(nil)
	})
}

// Err says, once the result channel is closed, why the cache ended the
// watch: an *ExpiredError (wrapping storage.ErrExpired) when the cache
// relisted past the watcher's position (the handler sends a 410 Expired
// ERROR event, so the client relists), ErrTooSlow, or ErrStopped. Nil when
// Stop or the context ended it.
func (w *Watcher) Err() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

// offer sends ev if w has room; full says it had none.
func (w *Watcher) offer(ev WatchEvent) (sent, full bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return false, false
	}
	select {
	case w.out <- ev:
		return true, false
	default:
		return false, true
	}
}

// offerUntil sends ev, waiting until timer fires (expired) or w stops.
func (w *Watcher) offerUntil(ev WatchEvent, timer <-chan time.Time) (sent, expired bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return false, false
	}
	select {
	case w.out <- ev:
		return true, false
	case <-w.stopCh:
		return false, false
	case <-timer:
		return false, true
	}
}

// close closes out, recording err; the events it holds are still
// delivered. False if it was closed already.
func (w *Watcher) close(err error) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return false
	}
	w.closed, w.err = true, err
	close(w.out)
	if w.releaseCtx != nil {
		w.releaseCtx()
	}
	return true
}

// feed delivers the initial events, then the dispatcher's, until the watch
// is stopped or out is closed.
func (w *Watcher) feed(entries []*entry, events []WatchEvent) {
	defer close(w.result)
	for _, e := range entries {
		if !w.send(addedEvent(e)) {
			return
		}
	}
	for _, ev := range events {
		if !w.send(ev) {
			return
		}
	}
	entries, events = nil, nil
	for ev := range w.out {
		if !w.send(ev) {
			return
		}
	}
}

func (w *Watcher) send(ev WatchEvent) bool {
	select {
	case w.result <- ev:
		return true
	case <-w.stopCh:
		return false
	}
}
