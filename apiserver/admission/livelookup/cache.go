// Package livelookup remembers what admission plugins read from storage
// when their watch-fed caches had nothing: a bounded cache whose entries
// expire, and a namespaced lister that falls back to a live list shared
// by concurrent callers and remembered for a while (upstream's "live
// lookup" of LimitRanges and ResourceQuotas).
package livelookup

import (
	"container/list"
	"sync"
	"time"
)

// Cache maps keys to values that expire, holding at most a fixed number of
// entries (the least recently used go first). It is safe for concurrent
// use.
type Cache[V any] struct {
	mu    sync.Mutex
	max   int
	now   func() time.Time
	order *list.List // front: most recently used
	items map[string]*list.Element
}

type entry[V any] struct {
	key     string
	value   V
	expires time.Time // zero: never
}

// New returns a cache of at most max entries (at least 1) telling time by
// now (nil: time.Now).
func New[V any](max int, now func() time.Time) *Cache[V] {
	if max < 1 {
		max = 1
	}
	if now == nil {
		now = time.Now
	}
	return &Cache[V]{max: max, now: now, order: list.New(), items: map[string]*list.Element{}}
}

// Get returns key's value unless it is missing or expired.
func (c *Cache[V]) Get(key string) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var zero V
	el, ok := c.items[key]
	if !ok {
		return zero, false
	}
	e := el.Value.(*entry[V])
	if !e.expires.IsZero() && !c.now().Before(e.expires) {
		c.order.Remove(el)
		delete(c.items, key)
		return zero, false
	}
	c.order.MoveToFront(el)
	return e.value, true
}

// Add sets key to v for ttl (0: until evicted).
func (c *Cache[V]) Add(key string, v V, ttl time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var expires time.Time
	if ttl > 0 {
		expires = c.now().Add(ttl)
	}
	if el, ok := c.items[key]; ok {
		e := el.Value.(*entry[V])
		e.value, e.expires = v, expires
		c.order.MoveToFront(el)
		return
	}
	c.items[key] = c.order.PushFront(&entry[V]{key: key, value: v, expires: expires})
	for c.order.Len() > c.max {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.items, last.Value.(*entry[V]).key)
	}
}

// Remove forgets key.
func (c *Cache[V]) Remove(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		c.order.Remove(el)
		delete(c.items, key)
	}
}

// Len is the number of entries held, expired ones included.
func (c *Cache[V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}
