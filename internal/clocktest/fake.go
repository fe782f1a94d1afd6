// Package clocktest is a clock for tests that moves only when the test
// advances it: Now, and After channels that fire on Advance. It satisfies
// the one-method-pair Clock interfaces (Now, After) the informers and the
// watch cache declare.
package clocktest

import (
	"sync"
	"testing"
	"time"
)

// waitTimeout bounds how long a test waits for code to reach the clock.
const waitTimeout = 30 * time.Second

// Fake is a clock that moves only when Advance is called.
type Fake struct {
	mu      sync.Mutex
	now     time.Time
	waiters []waiter
	added   chan struct{} // closed and replaced when a waiter is added
}

type waiter struct {
	at time.Time
	d  time.Duration
	ch chan time.Time
}

// NewFake returns a clock at 2024-01-01 00:00 UTC.
func NewFake() *Fake {
	return &Fake{now: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), added: make(chan struct{})}
}

// Now is the clock's time.
func (c *Fake) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// After fires once the clock has advanced by d (at once when d <= 0).
func (c *Fake) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	if d <= 0 {
		ch <- c.now
		return ch
	}
	c.waiters = append(c.waiters, waiter{at: c.now.Add(d), d: d, ch: ch})
	close(c.added)
	c.added = make(chan struct{})
	return ch
}

// Advance moves the clock and fires the waiters whose time has come.
func (c *Fake) Advance(d time.Duration) {
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

// Pending is how many waiters there are.
func (c *Fake) Pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.waiters)
}

// WaitForWaiter blocks until someone waits on the clock and returns the
// duration the earliest waiter asked for.
func (c *Fake) WaitForWaiter(t testing.TB) time.Duration {
	t.Helper()
	var d time.Duration
	c.wait(t, func(ws []waiter) bool {
		if len(ws) == 0 {
			return false
		}
		first := ws[0]
		for _, w := range ws[1:] {
			if w.at.Before(first.at) {
				first = w
			}
		}
		d = first.d
		return true
	})
	return d
}

// WaitFor blocks until someone waits for a duration ok accepts.
func (c *Fake) WaitFor(t testing.TB, ok func(time.Duration) bool) {
	t.Helper()
	c.wait(t, func(ws []waiter) bool {
		for _, w := range ws {
			if ok(w.d) {
				return true
			}
		}
		return false
	})
}

// Exactly accepts d only.
func Exactly(d time.Duration) func(time.Duration) bool {
	return func(x time.Duration) bool { return x == d }
}

func (c *Fake) wait(t testing.TB, done func([]waiter) bool) {
	t.Helper()
	deadline := time.After(waitTimeout)
	for {
		c.mu.Lock()
		ok, added := done(c.waiters), c.added
		c.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-added:
		case <-deadline:
			t.Fatal("nothing waited on the clock in time")
		}
	}
}

// Has says whether someone waits for a duration ok accepts; added is
// closed when a waiter is added after the check.
func (c *Fake) Has(ok func(time.Duration) bool) (found bool, added <-chan struct{}) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, w := range c.waiters {
		if ok(w.d) {
			return true, c.added
		}
	}
	return false, c.added
}
