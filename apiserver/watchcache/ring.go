package watchcache

import (
	"sort"
	"time"
)

// ring holds the most recent events in revision order. Like upstream's, it
// grows (doubling, up to max) when it would drop an event younger than
// fresh, and halves (down to min) when even its newest quarter is older than
// fresh, so a busy resource keeps about fresh's worth of history.
type ring struct {
	buf        []*event
	start, end int // absolute positions: the events are buf[start..end) mod len(buf)
	min, max   int
	fresh      time.Duration
	// evictedRV is the revision the history starts after: the list's
	// revision, or the last event dropped since. A watch from it or later is
	// served exactly; one from before it is expired.
	evictedRV int64
}

func newRing(min, max int, fresh time.Duration) *ring {
	return &ring{buf: make([]*event, min), min: min, max: max, fresh: fresh}
}

func (r *ring) size() int           { return r.end - r.start }
func (r *ring) capacity() int       { return len(r.buf) }
func (r *ring) at(i int) *event     { return r.buf[i%len(r.buf)] }
func (r *ring) full() bool          { return r.size() == len(r.buf) }
func (r *ring) oldest() *event      { return r.at(r.start) }
func (r *ring) set(i int, e *event) { r.buf[i%len(r.buf)] = e }

// reset empties the ring after a list at rev.
func (r *ring) reset(rev int64) {
	clear(r.buf)
	r.start, r.end = 0, 0
	r.evictedRV = rev
}

// add appends e (whose revision is above every event held), resizing or
// dropping the oldest event when full. It returns the capacity before and
// after.
func (r *ring) add(e *event) (before, after int) {
	before = len(r.buf)
	if r.full() {
		r.resize(e.at)
	}
	if r.full() {
		r.evict(1)
	}
	r.set(r.end, e)
	r.end++
	return before, len(r.buf)
}

func (r *ring) resize(now time.Time) {
	n := len(r.buf)
	if now.Sub(r.oldest().at) < r.fresh {
		if n < r.max {
			r.relayout(min(2*n, r.max))
		}
		return
	}
	if n > r.min && now.Sub(r.at(r.end-max(n/4, 1)).at) > r.fresh {
		r.relayout(max(n/2, r.min))
	}
}

// relayout moves the newest events into a buffer of size n.
func (r *ring) relayout(n int) {
	if drop := r.size() - n; drop > 0 {
		r.evict(drop)
	}
	size := r.size()
	buf := make([]*event, n)
	for i := range size {
		buf[i] = r.at(r.start + i)
	}
	r.buf, r.start, r.end = buf, 0, size
}

func (r *ring) evict(n int) {
	for range n {
		r.evictedRV = r.oldest().rev
		r.set(r.start, nil)
		r.start++
	}
}

// since returns the events after rev, or false when some of them are gone.
func (r *ring) since(rev int64) ([]*event, bool) {
	if rev < r.evictedRV {
		return nil, false
	}
	first := sort.Search(r.size(), func(i int) bool { return r.at(r.start+i).rev > rev })
	out := make([]*event, r.size()-first)
	for i := range out {
		out[i] = r.at(r.start + first + i)
	}
	return out, true
}
