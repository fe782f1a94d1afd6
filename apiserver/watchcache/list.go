package watchcache

import (
	"context"
	"fmt"

	"github.com/skiff-dev/skiff/apiserver/storage"
)

// List returns the objects whose key starts with prefix ("namespace/" or
// "") and that pred selects, sorted by key, and the revision they are the
// state at. pred.GetAttrs is ignored: the cache uses Config.GetAttrs.
//
// minRV 0 reads the current state at once. A minRV the cache has not
// reached is waited for, at most Config.WaitTimeout, after which List fails
// with a *TooLargeResourceVersionError (wrapping
// storage.ErrTooLargeResourceVersion: upstream's 504 with Retry-After 1).
// ErrNotReady while the cache is not ready.
//
// The objects are shared with the cache and every other reader: never
// change them.
func (c *Cache) List(ctx context.Context, minRV int64, prefix string, pred storage.Predicate) ([]storage.Object, int64, error) {
	if err := c.rlockFresh(ctx, minRV); err != nil {
		return nil, 0, fmt.Errorf("list %s at %d: %w", c.cfg.Resource, minRV, err)
	}
	defer c.mu.RUnlock()
	f := c.newFilter(prefix, pred)
	span := c.store.span(prefix)
	var out []storage.Object
	if f.everything {
		out = make([]storage.Object, len(span))
		for i, e := range span {
			out[i] = e.obj.obj
		}
		return out, c.rev, nil
	}
	for _, e := range span {
		if f.matches(e) {
			out = append(out, e.obj.obj)
		}
	}
	return out, c.rev, nil
}
