package registry

import (
	"context"

	"github.com/skiff-dev/skiff/apiserver/storage"
)

// StoredBackend is what a converting backend wraps: the storage of the
// stored kind, with its watch for the watch cache.
type StoredBackend interface {
	Backend
	Watch(ctx context.Context, prefix string, fromRV int64) (<-chan storage.Event, error)
}

// Converting serves a kind kept as another (Resource.Storage): every object
// going in is converted with To, every object coming out with From.
type Converting struct {
	inner StoredBackend
	sv    *StorageVersion
}

// NewConverting wraps inner, which keeps sv's stored kind.
func NewConverting(inner StoredBackend, sv *StorageVersion) *Converting {
	return &Converting{inner: inner, sv: sv}
}

var _ Backend = (*Converting)(nil)

func (c *Converting) from(obj storage.Object) storage.Object {
	if obj == nil {
		return nil
	}
	return c.sv.From(obj)
}

// Key is the stored kind's key.
func (c *Converting) Key(namespace, name string) string { return c.inner.Key(namespace, name) }

// Prefix is the stored kind's prefix.
func (c *Converting) Prefix(namespace string) string { return c.inner.Prefix(namespace) }

// Get reads and converts.
func (c *Converting) Get(ctx context.Context, key string) (storage.Object, error) {
	obj, err := c.inner.Get(ctx, key)
	return c.from(obj), err
}

// Create converts and stores.
func (c *Converting) Create(ctx context.Context, key string, obj storage.Object, ttl int64) (storage.Object, error) {
	out, err := c.inner.Create(ctx, key, c.sv.To(obj), ttl)
	return c.from(out), err
}

// GuaranteedUpdate runs try on the served form.
func (c *Converting) GuaranteedUpdate(ctx context.Context, key string, ignoreNotFound bool, try func(storage.Object) (storage.Object, error)) (storage.Object, error) {
	out, err := c.inner.GuaranteedUpdate(ctx, key, ignoreNotFound, func(cur storage.Object) (storage.Object, error) {
		next, err := try(c.from(cur))
		if err != nil || next == nil {
			return next, err
		}
		return c.sv.To(next), nil
	})
	return c.from(out), err
}

// Delete checks the served form.
func (c *Converting) Delete(ctx context.Context, key string, check func(storage.Object) error) (storage.Object, error) {
	out, err := c.inner.Delete(ctx, key, func(cur storage.Object) error { return check(c.from(cur)) })
	return c.from(out), err
}

// List converts every item; the predicate sees the served form.
func (c *Converting) List(ctx context.Context, prefix string, opts storage.ListOptions) (*storage.ListResult, error) {
	pred := opts.Predicate
	opts.Predicate = storage.Predicate{}
	res, err := c.inner.List(ctx, prefix, opts)
	if err != nil {
		return nil, err
	}
	items := res.Items[:0]
	for _, it := range res.Items {
		obj := c.from(it)
		if ok, err := pred.Matches(obj); err == nil && ok {
			items = append(items, obj)
		}
	}
	res.Items = items
	return res, nil
}

// Watch converts every event's objects.
func (c *Converting) Watch(ctx context.Context, prefix string, fromRV int64) (<-chan storage.Event, error) {
	in, err := c.inner.Watch(ctx, prefix, fromRV)
	if err != nil {
		return nil, err
	}
	out := make(chan storage.Event)
	go func() {
		defer close(out)
		for ev := range in {
			ev.Object = c.from(ev.Object)
			select {
			case out <- ev:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out, nil
}
