package informer

import (
	"context"
	"math/rand/v2"
	"time"
)

// Backoff between failed lists and watches, as upstream's reflector: the
// ceiling doubles from 800ms to 30s and returns to 800ms after two minutes
// without a failure.
const (
	backoffInitial = 800 * time.Millisecond
	backoffMax     = 30 * time.Second
	backoffReset   = 2 * time.Minute
)

// Backoff computes the wait after each failure: a random duration between
// half the current ceiling and the ceiling, so that many clients failing at
// once (an apiserver restart) do not retry in step. The reflector uses it,
// and so do the apiserver's watch caches, which list and watch etcd.
type Backoff struct {
	clock       Clock
	rand        func() float64 // in [0,1); replaced in tests
	ceiling     time.Duration
	lastFailure time.Time
}

// NewBackoff returns a Backoff on clock.
func NewBackoff(clock Clock) *Backoff {
	return &Backoff{clock: clock, rand: rand.Float64}
}

// Next returns how long to wait after a failure now.
func (b *Backoff) Next() time.Duration {
	now := b.clock.Now()
	switch {
	case b.ceiling == 0 || now.Sub(b.lastFailure) > backoffReset:
		b.ceiling = backoffInitial
	default:
		b.ceiling = min(2*b.ceiling, backoffMax)
	}
	b.lastFailure = now
	half := b.ceiling / 2
	return half + time.Duration(b.rand()*float64(half))
}

// Wait sleeps for the next backoff; false if ctx ended first.
func (b *Backoff) Wait(ctx context.Context) bool {
	select {
	case <-ctx.Done():
		return false
	case <-b.clock.After(b.Next()):
		return true
	}
}

// Reset starts over from the initial wait, after a success.
func (b *Backoff) Reset() { b.ceiling = 0 }
