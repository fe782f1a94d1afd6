package workqueue

// RateLimitingQueue is a DelayingQueue that re-adds failed items after a
// delay chosen by a RateLimiter.
type RateLimitingQueue[T comparable] struct {
	*DelayingQueue[T]
	limiter RateLimiter[T]
}

// NewRateLimiting returns a rate-limited queue using rl; nil means
// DefaultControllerRateLimiter. Its goroutines run until ShutDown or
// ShutDownWithDrain.
func NewRateLimiting[T comparable](rl RateLimiter[T], opts ...Option) *RateLimitingQueue[T] {
	if rl == nil {
		rl = DefaultControllerRateLimiter[T]()
	}
	return &RateLimitingQueue[T]{
		DelayingQueue: newDelaying[T](buildOptions(opts)),
		limiter:       rl,
	}
}

// AddRateLimited adds item once the rate limiter allows it. Call it when
// processing item failed.
func (q *RateLimitingQueue[T]) AddRateLimited(item T) {
	q.AddAfter(item, q.limiter.When(item))
}

// Forget tells the rate limiter item succeeded, so its backoff starts over.
// It does not remove the item from the queue.
func (q *RateLimitingQueue[T]) Forget(item T) {
	q.limiter.Forget(item)
}

// NumRequeues returns how many times item was rate-limited since it was
// last forgotten.
func (q *RateLimitingQueue[T]) NumRequeues(item T) int {
	return q.limiter.NumRequeues(item)
}
