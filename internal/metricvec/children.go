// Package metricvec caches the children of Prometheus metric vectors for
// skiff's request paths.
package metricvec

import "sync"

// Children caches the children of a metric vector (a counter, gauge or
// histogram with labels) by a comparable key, usually a struct of the
// label values. The vector's own lookup validates and hashes every label
// value on every call; a request path that observes several vectors per
// request spends more on that than on the observations. The first lookup
// of a key asks the vector, later ones only a Go map.
//
// Keys must be bounded as label values must be: every key is kept.
type Children[K comparable, M any] struct {
	child func(K) M // the vector's child for a key, e.g. via WithLabelValues

	mu sync.RWMutex
	m  map[K]M
}

// NewChildren caches what child returns for each key.
func NewChildren[K comparable, M any](child func(K) M) *Children[K, M] {
	return &Children[K, M]{child: child, m: map[K]M{}}
}

// Get returns the child for k.
func (c *Children[K, M]) Get(k K) M {
	c.mu.RLock()
	m, ok := c.m[k]
	c.mu.RUnlock()
	if ok {
		return m
	}
	m = c.child(k)
	c.mu.Lock()
	c.m[k] = m
	c.mu.Unlock()
	return m
}
