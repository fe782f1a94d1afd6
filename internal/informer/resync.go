package informer

import (
	"context"
	"time"
)

// runResync wakes at each handler's next resync time and gives the handlers
// that are due every object as OnUpdate(obj, obj).
func (i *Informer) runResync(ctx context.Context) {
	for {
		select {
		case <-i.resyncChanged: // about to look at the schedule anyway
		default:
		}
		var tick <-chan time.Time
		if d, ok := i.untilResync(); ok {
			tick = i.clock.After(d)
		}
		select {
		case <-ctx.Done():
			return
		case <-i.resyncChanged:
		case <-tick:
			i.resyncDue()
		}
	}
}

// untilResync returns the time to the earliest handler resync.
func (i *Informer) untilResync() (time.Duration, bool) {
	i.mu.Lock()
	defer i.mu.Unlock()
	var next time.Time
	for _, l := range i.listeners {
		if l.resync > 0 && (next.IsZero() || l.nextResync.Before(next)) {
			next = l.nextResync
		}
	}
	if next.IsZero() {
		return 0, false
	}
	return next.Sub(i.clock.Now()), true
}

// resyncDue resyncs the handlers whose time has come. Before the first list
// there is nothing to resync; their clocks restart.
func (i *Informer) resyncDue() {
	i.mu.Lock()
	defer i.mu.Unlock()
	now := i.clock.Now()
	var due []*listener
	for _, l := range i.listeners {
		if l.resync > 0 && !now.Before(l.nextResync) {
			l.nextResync = now.Add(l.resync)
			due = append(due, l)
		}
	}
	if len(due) == 0 || !i.synced.Load() {
		return
	}
	for _, obj := range i.indexer.List() {
		n := notification{kind: notifyUpdate, old: obj, obj: obj}
		for _, l := range due {
			l.push(n)
		}
	}
}
