package storage

import "sync"

// maxHandoffs bounds the objects waiting for the watch: the writes in
// flight, a few dozen at most; past it writes are simply not handed off.
const maxHandoffs = 1024

// handoff passes the objects this Resource wrote to its own watch of them,
// so that the watch does not decode again the bytes it was just given:
// the object a write returns (what the bytes stored at its revision decode
// to) is the object the watch delivers for that key and revision.
// Either may come first; a watch event finds its object only when the
// write got there before it, and decodes otherwise. Objects handed off are
// shared with the writer's caller and so, like every object a watch
// delivers, must not be changed.
type handoff struct {
	mu       sync.Mutex
	watchers int   // watches running: without one nothing is kept
	seen     int64 // the highest revision a watch has delivered
	pending  map[handoffKey]Object
}

type handoffKey struct {
	key string
	rev int64
}

// put offers obj, written at key and rev, to the watch.
func (h *handoff) put(key string, rev int64, obj Object) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.watchers == 0 || rev <= h.seen || len(h.pending) >= maxHandoffs {
		return // no watch to take it, or it is past it already
	}
	if h.pending == nil {
		h.pending = map[handoffKey]Object{}
	}
	h.pending[handoffKey{key, rev}] = obj
}

// take returns the object written at key and rev, if it was handed off
// and the watch has not delivered rev already. Objects at or below the
// revisions delivered are never taken: they are dropped once more than
// a few wait, not on every event (it looks up one key).
func (h *handoff) take(key string, rev int64) (Object, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	k := handoffKey{key, rev}
	obj, ok := h.pending[k]
	delete(h.pending, k)
	if rev <= h.seen {
		obj, ok = nil, false // delivered already
	}
	h.seen = max(h.seen, rev)
	if len(h.pending) > sweepHandoffs {
		for k := range h.pending {
			if k.rev <= h.seen {
				delete(h.pending, k)
			}
		}
	}
	return obj, ok
}

// sweepHandoffs is how many objects may wait before take drops those
// the watch has gone past: more than the writes usually in flight.
const sweepHandoffs = 64

// watching counts a watch in (+1) or out (-1); when the last one ends the
// objects waiting are dropped.
func (h *handoff) watching(delta int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.watchers += delta
	if h.watchers == 0 {
		clear(h.pending)
	}
}
