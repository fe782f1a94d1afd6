package subresource

import (
	"context"
	"math/rand/v2"
	"time"
)

// backoff retries an operation a number of times at a jittered interval.
type backoff struct {
	steps    int
	interval time.Duration
	jitter   float64 // fraction of interval added at random
}

// evictionRetry is upstream's EvictionsRetry: 20 tries, 500ms apart.
var evictionRetry = backoff{steps: 20, interval: 500 * time.Millisecond, jitter: 0.1}

// do runs fn until it succeeds, fails with an error retryable refuses, the
// steps run out or ctx ends; it returns fn's last error.
func (b backoff) do(ctx context.Context, retryable func(error) bool, fn func() error) error {
	var err error
	for i := 0; i < max(b.steps, 1); i++ {
		if err = fn(); err == nil || !retryable(err) {
			return err
		}
		if i == b.steps-1 {
			break
		}
		d := b.interval + time.Duration(b.jitter*rand.Float64()*float64(b.interval))
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
	}
	return err
}
