package watchcache

import (
	"sync"
	"testing"
	"time"
)

// fakeClock is a Clock that moves only when the test advances it.
type fakeClock struct {
	mu      sync.Mutex
	now     time.Time
	waiters []clockWaiter
	added   chan struct{} // closed and replaced when a waiter is added
}

type clockWaiter struct {
	at time.Time
	d  time.Duration
	ch chan time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), added: make(chan struct{})}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	if d <= 0 {
		ch <- c.now
		return ch
	}
	c.waiters = append(c.waiters, clockWaiter{at: c.now.Add(d), d: d, ch: ch})
	close(c.added)
	c.added = make(chan struct{})
	return ch
}

// Advance moves the clock and fires the waiters whose time has come.
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	kept := c.waiters[:0]
	for _, w := range c.waiters {
		if w.at.After(c.now) {
			kept = append(kept, w)
			continue
		}
		w.ch <- c.now
	}
	c.waiters = kept
}

// has says whether someone waits for a duration ok accepts; added is
// closed when a waiter is added after the check.
func (c *fakeClock) has(ok func(time.Duration) bool) (found bool, added <-chan struct{}) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, w := range c.waiters {
		if ok(w.d) {
			return true, c.added
		}
	}
	return false, c.added
}

// waitFor blocks until someone waits for a duration ok accepts.
func (c *fakeClock) waitFor(t *testing.T, ok func(time.Duration) bool) {
	t.Helper()
	deadline := time.After(testTimeout)
	for {
		found, added := c.has(ok)
		if found {
			return
		}
		select {
		case <-added:
		case <-deadline:
			t.Fatal("nobody waited on the clock")
		}
	}
}

func exactly(d time.Duration) func(time.Duration) bool {
	return func(x time.Duration) bool { return x == d }
}
