package livelookup

import (
	"context"
	"time"

	"golang.org/x/sync/singleflight"
)

// ListFunc lists a namespace's items.
type ListFunc[T any] func(ctx context.Context, namespace string) ([]T, error)

// Lister lists a namespace's items from a cache, and when the cache has
// none, from a live list: concurrent callers share one live list, and its
// answer is remembered for a while, so that a namespace that truly has none
// is not listed from storage on every request.
type Lister[T any] struct {
	cached, live ListFunc[T]
	ttl          time.Duration
	results      *Cache[[]T]
	group        singleflight.Group
}

// NewLister lists from cached, falling back to live (nil: no fallback)
// whose answers are kept for ttl in at most max entries.
func NewLister[T any](cached, live ListFunc[T], ttl time.Duration, max int, now func() time.Time) *Lister[T] {
	return &Lister[T]{cached: cached, live: live, ttl: ttl, results: New[[]T](max, now)}
}

// List returns namespace's items.
func (l *Lister[T]) List(ctx context.Context, namespace string) ([]T, error) {
	items, err := l.cached(ctx, namespace)
	if err != nil || len(items) > 0 || l.live == nil {
		return items, err
	}
	if remembered, ok := l.results.Get(namespace); ok {
		return remembered, nil
	}
	v, err, _ := l.group.Do(namespace, func() (any, error) {
		live, err := l.live(ctx, namespace)
		if err != nil {
			return nil, err
		}
		l.results.Add(namespace, live, l.ttl)
		return live, nil
	})
	if err != nil {
		return nil, err
	}
	return v.([]T), nil
}
