package watchcache

import (
	"context"
	"math/rand/v2"
	"time"
)

// Backoff between failed lists and watches of the source, as upstream's
// reflector: the ceiling doubles from 800ms to 30s, and each wait is a
// random duration between half the ceiling and the ceiling so that the
// caches of every resource do not retry in step after an etcd outage.
const (
	backoffInitial = 800 * time.Millisecond
	backoffMax     = 30 * time.Second
)

type backoff struct {
	clock   Clock
	rand    func() float64 // in [0,1)
	ceiling time.Duration
}

func newBackoff(clock Clock) *backoff {
	return &backoff{clock: clock, rand: rand.Float64}
}

// reset starts over after a success.
func (b *backoff) reset() { b.ceiling = 0 }

func (b *backoff) next() time.Duration {
	if b.ceiling == 0 {
		b.ceiling = backoffInitial
	} else {
		b.ceiling = min(2*b.ceiling, backoffMax)
	}
	half := b.ceiling / 2
	return half + time.Duration(b.rand()*float64(half))
}

// wait waits for the next backoff; false if ctx ended first.
func (b *backoff) wait(ctx context.Context) bool {
	select {
	case <-ctx.Done():
		return false
	case <-b.clock.After(b.next()):
		return true
	}
}
