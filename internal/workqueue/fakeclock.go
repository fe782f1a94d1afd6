package workqueue

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"sync"
	"time"
)

// FakeClock is a Clock for tests: time moves only when Step or SetTime is
// called, and timers whose deadline has been reached fire then. The
// WaitFor methods let a test block until the code under test has armed the
// timers it expects, instead of sleeping.
type FakeClock struct {
	mu      sync.Mutex
	now     time.Time
	timers  []*fakeTimer
	changed chan struct{} // closed and replaced whenever timers change
}

var _ Clock = (*FakeClock)(nil)

// NewFakeClock returns a fake clock reading now.
func NewFakeClock(now time.Time) *FakeClock {
	return &FakeClock{now: now, changed: make(chan struct{})}
}

// Now returns the fake time.
func (f *FakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

// TimerAt returns a timer that fires when the fake time reaches deadline,
// at once if it already has.
func (f *FakeClock) TimerAt(deadline time.Time) Timer {
	f.mu.Lock()
	defer f.mu.Unlock()
	t := &fakeTimer{clock: f, deadline: deadline, c: make(chan time.Time, 1)}
	if !deadline.After(f.now) {
		t.c <- f.now
		return t
	}
	f.timers = append(f.timers, t)
	f.notifyLocked()
	return t
}

// Step moves the fake time forward by d and fires the timers now due.
func (f *FakeClock) Step(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.setLocked(f.now.Add(d))
}

// SetTime sets the fake time to t and fires the timers now due.
func (f *FakeClock) SetTime(t time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.setLocked(t)
}

func (f *FakeClock) setLocked(t time.Time) {
	f.now = t
	sort.SliceStable(f.timers, func(i, j int) bool {
		return f.timers[i].deadline.Before(f.timers[j].deadline)
	})
	pending := f.timers[:0]
	for _, timer := range f.timers {
		if timer.deadline.After(t) {
			pending = append(pending, timer)
			continue
		}
		timer.c <- t // buffered, sent at most once
	}
	clear(f.timers[len(pending):])
	f.timers = pending
	f.notifyLocked()
}

// WaitForTimer blocks until a timer with exactly this deadline is pending,
// or ctx ends.
func (f *FakeClock) WaitForTimer(ctx context.Context, deadline time.Time) error {
	return f.waitFor(ctx, func() bool {
		for _, t := range f.timers {
			if t.deadline.Equal(deadline) {
				return true
			}
		}
		return false
	}, fmt.Sprintf("timer at %s", deadline.Format(time.RFC3339Nano)))
}

// WaitForTimers blocks until exactly n timers are pending, or ctx ends.
func (f *FakeClock) WaitForTimers(ctx context.Context, n int) error {
	return f.waitFor(ctx, func() bool { return len(f.timers) == n }, fmt.Sprintf("%d pending timers", n))
}

func (f *FakeClock) waitFor(ctx context.Context, cond func() bool, what string) error {
	for {
		f.mu.Lock()
		ok, changed := cond(), f.changed
		f.mu.Unlock()
		if ok {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return fmt.Errorf("fake clock: wait for %s: %w", what, ctx.Err())
		}
	}
}

func (f *FakeClock) notifyLocked() {
	close(f.changed)
	f.changed = make(chan struct{})
}

type fakeTimer struct {
	clock    *FakeClock
	deadline time.Time
	c        chan time.Time
}

func (t *fakeTimer) C() <-chan time.Time { return t.c }

func (t *fakeTimer) Stop() bool {
	f := t.clock
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, p := range f.timers {
		if p == t {
			f.timers = slices.Delete(f.timers, i, i+1)
			f.notifyLocked()
			return true
		}
	}
	return false
}
