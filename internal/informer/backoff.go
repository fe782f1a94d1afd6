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

// backoff computes the wait after each failure: a random duration between
// half the current ceiling and the ceiling, so that many clients failing at
// once (an apiserver restart) do not retry in step.
type backoff struct {
	clock       Clock
	rand        func() float64 // in [0,1); replaced in tests
	ceiling     time.Duration
	lastFailure time.Time
}

func newBackoff(clock Clock) *backoff {
	return &backoff{clock: clock, rand: rand.Float64}
}

// next returns how long to wait after a failure now.
func (b *backoff) next() time.Duration {
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

// wait sleeps for the next backoff; false if ctx ended first.
func (b *backoff) wait(ctx context.Context) bool {
	select {
	case <-ctx.Done():
		return false
	case <-b.clock.After(b.next()):
		return true
	}
}
