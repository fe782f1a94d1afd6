package workqueue

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// RateLimiter decides how long an item waits before it is retried.
type RateLimiter[T comparable] interface {
	// When returns how long item must wait, and counts one more requeue.
	When(item T) time.Duration
	// Forget clears item's history: it succeeded.
	Forget(item T)
	// NumRequeues returns how many times When was asked about item since
	// it was last forgotten.
	NumRequeues(item T) int
}

// Upstream's defaults for controllers.
const (
	DefaultBaseDelay = 5 * time.Millisecond
	DefaultMaxDelay  = 1000 * time.Second
	DefaultQPS       = 10
	DefaultBurst     = 100
)

// DefaultControllerRateLimiter returns upstream's limiter for controllers:
// per-item exponential backoff from 5ms to 1000s, and an overall token
// bucket of 10 retries per second with bursts of 100, whichever is slower.
func DefaultControllerRateLimiter[T comparable]() RateLimiter[T] {
	return NewMaxOfRateLimiter[T](
		NewExponentialFailureRateLimiter[T](DefaultBaseDelay, DefaultMaxDelay),
		NewBucketRateLimiter[T](rate.NewLimiter(rate.Limit(DefaultQPS), DefaultBurst), nil),
	)
}

// ExponentialFailureRateLimiter delays an item base*2^n, where n is the
// number of its requeues before this one, capped at maxDelay.
type ExponentialFailureRateLimiter[T comparable] struct {
	mu       sync.Mutex
	failures map[T]int
	base     time.Duration
	maxDelay time.Duration
}

var _ RateLimiter[string] = (*ExponentialFailureRateLimiter[string])(nil)

// NewExponentialFailureRateLimiter returns a per-item exponential backoff
// from base to maxDelay.
func NewExponentialFailureRateLimiter[T comparable](base, maxDelay time.Duration) *ExponentialFailureRateLimiter[T] {
	return &ExponentialFailureRateLimiter[T]{failures: make(map[T]int), base: base, maxDelay: maxDelay}
}

// When returns base*2^n capped at maxDelay, and counts one more failure.
func (r *ExponentialFailureRateLimiter[T]) When(item T) time.Duration {
	r.mu.Lock()
	n := r.failures[item]
	r.failures[item] = n + 1
	r.mu.Unlock()
	return exponentialBackoff(r.base, r.maxDelay, n)
}

// exponentialBackoff returns base<<n capped at maxDelay without overflowing.
func exponentialBackoff(base, maxDelay time.Duration, n int) time.Duration {
	if base <= 0 {
		return 0
	}
	// base<<n > maxDelay ⇔ base > maxDelay>>n; past 62 shifts any positive
	// base overflows.
	if n > 62 || base > maxDelay>>n {
		return maxDelay
	}
	return base << n
}

// Forget clears item's failures.
func (r *ExponentialFailureRateLimiter[T]) Forget(item T) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.failures, item)
}

// NumRequeues returns item's failures since it was last forgotten.
func (r *ExponentialFailureRateLimiter[T]) NumRequeues(item T) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.failures[item]
}

// BucketRateLimiter limits retries of all items together with a token
// bucket. It keeps no per-item history.
type BucketRateLimiter[T comparable] struct {
	limiter *rate.Limiter
	clock   Clock
}

var _ RateLimiter[string] = (*BucketRateLimiter[string])(nil)

// NewBucketRateLimiter returns a limiter drawing one token per When from
// l, reading time from clock (nil means RealClock).
func NewBucketRateLimiter[T comparable](l *rate.Limiter, clock Clock) *BucketRateLimiter[T] {
	if clock == nil {
		clock = RealClock{}
	}
	return &BucketRateLimiter[T]{limiter: l, clock: clock}
}

// When reserves a token and returns how long until it is available.
func (r *BucketRateLimiter[T]) When(T) time.Duration {
	now := r.clock.Now()
	return r.limiter.ReserveN(now, 1).DelayFrom(now)
}

// Forget does nothing: the bucket has no per-item history.
func (r *BucketRateLimiter[T]) Forget(T) {}

// NumRequeues returns 0: the bucket has no per-item history.
func (r *BucketRateLimiter[T]) NumRequeues(T) int { return 0 }

// MaxOfRateLimiter asks several limiters and obeys the slowest.
type MaxOfRateLimiter[T comparable] struct {
	limiters []RateLimiter[T]
}

var _ RateLimiter[string] = (*MaxOfRateLimiter[string])(nil)

// NewMaxOfRateLimiter combines limiters: each is asked, the longest wait
// wins.
func NewMaxOfRateLimiter[T comparable](limiters ...RateLimiter[T]) *MaxOfRateLimiter[T] {
	return &MaxOfRateLimiter[T]{limiters: limiters}
}

// When asks every limiter (each counts the requeue) and returns the
// longest wait.
func (r *MaxOfRateLimiter[T]) When(item T) time.Duration {
	var longest time.Duration
	for _, l := range r.limiters {
		longest = max(longest, l.When(item))
	}
	return longest
}

// Forget forgets item in every limiter.
func (r *MaxOfRateLimiter[T]) Forget(item T) {
	for _, l := range r.limiters {
		l.Forget(item)
	}
}

// NumRequeues returns the largest count among the limiters.
func (r *MaxOfRateLimiter[T]) NumRequeues(item T) int {
	var most int
	for _, l := range r.limiters {
		most = max(most, l.NumRequeues(item))
	}
	return most
}
