package watchcache

import (
	"context"
	"errors"
	"fmt"

	"github.com/skiff-dev/skiff/internal/informer"

	"go.uber.org/zap"
	"k8s.io/apimachinery/pkg/watch"

	"github.com/skiff-dev/skiff/apiserver/storage"
)

// errDropped: the source closed its watch channel without an error event.
var errDropped = errors.New("watch channel closed")

// item is what Run hands the dispatcher, in revision order: a change, a
// progress notification (ev nil), or a relist (reset).
type item struct {
	ev    *event
	rev   int64
	reset bool // relisted at rev, with changes between the old and new revision unseen
	all   bool // the relist went backwards: no watcher's position holds
}

// Run lists the source, then follows its watch until ctx ends, and serves
// reads meanwhile. A dropped watch is resumed from the cache's revision; a
// watch that expired (the cache fell behind etcd's compaction) makes it
// relist, and the watchers that missed changes in the gap are closed with an
// *ExpiredError. When Run returns (nil once ctx ends) every watcher is closed
// with ErrStopped and the cache serves nothing more. Run may be called once.
func (c *Cache) Run(ctx context.Context) error {
	if !c.running.CompareAndSwap(false, true) {
		return fmt.Errorf("watch cache for %s: already running", c.cfg.Resource)
	}
	quit, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		c.dispatch(quit)
	}()
	defer func() {
		c.setReady(false) // no watcher registers from now on
		close(quit)
		<-done
	}()

	bo := informer.NewBackoff(c.clock)
	for {
		progressed, err := c.listAndWatch(ctx, bo)
		if ctx.Err() != nil {
			return nil
		}
		if errors.Is(err, storage.ErrExpired) && progressed {
			c.logger.Info("watch cache fell behind its watch; relisting", zap.Error(err))
			continue
		}
		c.logger.Warn("watch cache list and watch failed", zap.Error(err))
		if !bo.Wait(ctx) {
			return nil
		}
	}
}

// listAndWatch lists, then watches until the watch expires or ctx ends,
// resuming a dropped watch from the cache's revision. progressed says
// whether any watch delivered something after the list.
func (c *Cache) listAndWatch(ctx context.Context, bo *informer.Backoff) (progressed bool, err error) {
	list, err := c.src.List(ctx, c.prefix, storage.ListOptions{})
	if err != nil {
		return false, fmt.Errorf("list %s: %w", c.prefix, err)
	}
	if list == nil {
		return false, fmt.Errorf("list %s: no result", c.prefix)
	}
	c.replace(ctx, list.Items, list.ResourceVersion)
	bo.Reset()
	for {
		p, err := c.watch(ctx)
		progressed = progressed || p
		switch {
		case ctx.Err() != nil:
			return progressed, ctx.Err()
		case errors.Is(err, storage.ErrExpired):
			c.setReady(false)
			return progressed, err
		case p:
			bo.Reset()
			c.logger.Debug("watch cache resuming its watch", zap.Error(err))
			continue
		}
		c.logger.Warn("watch cache watch failed", zap.Error(err))
		if !bo.Wait(ctx) {
			return progressed, ctx.Err()
		}
	}
}

// watch follows one source watch from the cache's revision until it ends.
// progressed says whether it delivered anything.
func (c *Cache) watch(ctx context.Context) (progressed bool, err error) {
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	from := c.ResourceVersion()
	ch, err := c.src.Watch(wctx, c.prefix, from)
	if err != nil {
		return false, fmt.Errorf("watch %s from %d: %w", c.prefix, from, err)
	}
	for {
		var ev storage.Event
		var ok bool
		select {
		case <-ctx.Done():
			return progressed, ctx.Err()
		case ev, ok = <-ch:
		}
		if !ok {
			return progressed, fmt.Errorf("watch %s from %d: %w", c.prefix, from, errDropped)
		}
		switch ev.Type {
		case watch.Error:
			if ev.Err == nil {
				ev.Err = errors.New("error event without an error")
			}
			return progressed, fmt.Errorf("watch %s from %d: %w", c.prefix, from, ev.Err)
		case watch.Bookmark:
			c.progress(ctx, ev.ResourceVersion)
		case watch.Added, watch.Modified, watch.Deleted:
			if ev.Object == nil {
				c.logger.Warn("watch event without an object", zap.String("type", string(ev.Type)), zap.Int64("revision", ev.ResourceVersion))
				continue
			}
			c.apply(ctx, ev)
		default:
			c.logger.Warn("unknown watch event", zap.String("type", string(ev.Type)))
			continue
		}
		progressed = true
	}
}

// apply records one change and queues it for the watchers.
func (c *Cache) apply(ctx context.Context, ev storage.Event) {
	cur := c.newEntry(ev.Object)
	now := c.clock.Now()
	c.mu.Lock()
	if ev.ResourceVersion <= c.rev {
		c.mu.Unlock()
		c.logger.Debug("watch event already seen", zap.String("key", cur.key), zap.Int64("revision", ev.ResourceVersion))
		return
	}
	prev := c.store.get(cur.key)
	if ev.Type == watch.Deleted {
		c.store.delete(cur.key)
		if prev == nil {
			prev = cur
		}
	} else {
		c.store.put(cur)
	}
	e := &event{typ: ev.Type, rev: ev.ResourceVersion, cur: cur, prev: prev, at: now}
	c.metrics.resized(c.ring.add(e))
	c.metrics.received.Inc()
	c.metrics.resourceVersion.Set(float64(e.rev))
	c.setRevLocked(e.rev)
	c.mu.Unlock()
	c.enqueue(ctx, item{ev: e, rev: e.rev})
}

// progress moves the cache to rev without a change (a progress
// notification from the source).
func (c *Cache) progress(ctx context.Context, rev int64) {
	c.mu.Lock()
	if rev <= c.rev {
		c.mu.Unlock()
		return
	}
	c.metrics.resourceVersion.Set(float64(rev))
	c.setRevLocked(rev)
	c.mu.Unlock()
	c.enqueue(ctx, item{rev: rev})
}

// replace installs a list read at rev. If the cache was at another revision
// it cannot say what changed in between: the ring starts over at rev and
// the dispatcher closes the watchers that were behind rev.
func (c *Cache) replace(ctx context.Context, objs []storage.Object, rev int64) {
	entries := make([]*entry, 0, len(objs))
	for _, o := range objs {
		if o != nil {
			entries = append(entries, c.newEntry(o))
		}
	}
	s := newStore(entries)

	c.mu.Lock()
	old, relist := c.rev, c.initialized
	gap := relist && rev != old
	if !relist || gap {
		c.ring.reset(rev)
	}
	c.store = s
	c.initialized, c.ready = true, true
	c.metrics.initializations.Inc()
	c.metrics.resourceVersion.Set(float64(rev))
	c.setRevLocked(rev)
	c.mu.Unlock()

	c.logger.Info("watch cache listed", zap.Int("objects", len(s.items)), zap.Int64("revision", rev),
		zap.Bool("relist", relist), zap.Bool("gap", gap))
	c.enqueue(ctx, item{rev: rev, reset: gap, all: gap && rev < old})
}

// enqueue hands it to the dispatcher, waiting while the dispatcher is busy.
func (c *Cache) enqueue(ctx context.Context, it item) {
	select {
	case c.incoming <- it:
	case <-ctx.Done():
	}
}
