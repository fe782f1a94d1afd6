package watchcache

import (
	"time"

	"go.uber.org/zap"
	"k8s.io/apimachinery/pkg/watch"
)

const (
	// bookmarkTick is how often the dispatcher looks for watchers due a
	// bookmark (upstream's is one second too).
	bookmarkTick = time.Second
	// preTimeout is how long before its deadline a watcher gets a last
	// bookmark, so that its client resumes from a recent revision.
	preTimeout = 2 * time.Second
)

// dispatch hands the changes from Run to the watchers, one at a time and in
// order, and sends bookmarks, until quit is closed; then it closes every
// watcher with ErrStopped.
func (c *Cache) dispatch(quit <-chan struct{}) {
	tick := c.clock.After(bookmarkTick)
	for {
		select {
		case it := <-c.incoming:
			c.handle(it)
		case <-tick:
			// Bookmarks carry the latest revision queued before the tick.
			for n := len(c.incoming); n > 0; n-- {
				c.handle(<-c.incoming)
			}
			c.sendBookmarks()
			tick = c.clock.After(bookmarkTick)
		case <-quit:
			for _, w := range c.loadWatchers() {
				c.terminate(w, ErrStopped)
			}
			return
		}
	}
}

func (c *Cache) handle(it item) {
	switch {
	case it.ev != nil:
		c.dispatchEvent(it.ev)
	case it.reset:
		c.closeBehind(it.rev, it.all)
	}
	if it.reset || it.rev > c.dispatchedRV {
		c.dispatchedRV = it.rev
	}
}

// dispatchEvent offers e to every watcher without blocking, then waits, up
// to the budget, on the ones whose buffers were full; those still full are
// closed. It allocates nothing per watcher.
func (c *Cache) dispatchEvent(e *event) {
	c.metrics.dispatched.Inc()
	now := c.clock.Now()
	blocked := c.blocked[:0]
	for _, w := range c.loadWatchers() {
		if e.rev <= w.startRV {
			continue
		}
		we, ok := w.filter.convert(e)
		if !ok {
			continue
		}
		switch sent, full := w.offer(we); {
		case sent:
			w.lastSent = now
		case full:
			blocked = append(blocked, w)
		}
	}
	if len(blocked) > 0 {
		c.waitBlocked(e, blocked)
	}
	clear(blocked)
	c.blocked = blocked[:0]
}

func (c *Cache) waitBlocked(e *event, blocked []*Watcher) {
	start := c.clock.Now()
	avail := c.budget.take()
	timer := c.clock.After(avail)
	expired := false
	for _, w := range blocked {
		we, _ := w.filter.convert(e)
		var sent, full bool
		if expired {
			sent, full = w.offer(we)
		} else {
			sent, expired = w.offerUntil(we, timer)
			full = expired
		}
		switch {
		case sent:
			w.lastSent = start
		case full:
			c.terminateSlow(w)
		}
	}
	if !expired {
		c.budget.giveBack(avail - c.clock.Now().Sub(start))
	}
}

func (c *Cache) terminateSlow(w *Watcher) {
	if c.terminate(w, ErrTooSlow) {
		c.metrics.terminated.Inc()
		c.logger.Info("closed a watcher that did not keep up", zap.String("prefix", w.filter.prefix),
			zap.Int64("startResourceVersion", w.startRV), zap.Int("buffer", cap(w.out)))
	}
}

// closeBehind closes, after a relist at rev, the watchers that missed
// changes: those whose position (the revision they have seen every change
// up to) is below rev. all closes every watcher.
func (c *Cache) closeBehind(rev int64, all bool) {
	for _, w := range c.loadWatchers() {
		pos := max(w.startRV, c.dispatchedRV)
		if all || pos < rev {
			c.terminate(w, &ExpiredError{Requested: pos, Oldest: rev})
		}
	}
}

// sendBookmarks sends a BOOKMARK at the dispatched revision to every watcher
// that allows them and has had no event for the bookmark interval, or whose
// deadline is near.
func (c *Cache) sendBookmarks() {
	now := c.clock.Now()
	for _, w := range c.loadWatchers() {
		if !w.bookmarks || c.dispatchedRV < w.startRV {
			continue
		}
		idle := now.Sub(w.lastSent) >= c.cfg.BookmarkInterval
		last := !w.deadline.IsZero() && !w.preTimeoutSent && !now.Before(w.deadline.Add(-preTimeout))
		if !idle && !last {
			continue
		}
		// A watcher without room is busy, so not idle.
		if sent, _ := w.offer(WatchEvent{Type: watch.Bookmark, ResourceVersion: c.dispatchedRV}); sent {
			w.lastSent = now
			w.preTimeoutSent = w.preTimeoutSent || last
		}
	}
}

// terminate ends w's watch with err: w delivers what it holds, then its
// result channel closes. False if it had ended already.
func (c *Cache) terminate(w *Watcher, err error) bool {
	c.removeWatcher(w)
	return w.close(err)
}

func (c *Cache) loadWatchers() []*Watcher { return *c.watchers.Load() }

// addWatcher registers w with the dispatcher. Callers hold c.mu for reading,
// so that no change is applied between w's snapshot and its registration.
func (c *Cache) addWatcher(w *Watcher) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	old := *c.watchers.Load()
	ws := make([]*Watcher, len(old), len(old)+1)
	copy(ws, old)
	ws = append(ws, w)
	c.watchers.Store(&ws)
}

func (c *Cache) removeWatcher(w *Watcher) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	old := *c.watchers.Load()
	for i, x := range old {
		if x == w {
			ws := make([]*Watcher, 0, len(old)-1)
			ws = append(ws, old[:i]...)
			ws = append(ws, old[i+1:]...)
			c.watchers.Store(&ws)
			return
		}
	}
}
