// Package registrytest holds test helpers for the registry's kinds: an
// in-memory registry.Backend for store-level checks without etcd.
package registrytest

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/skiff-dev/skiff/apiserver/storage"
)

// Backend is an in-memory registry.Backend: one revision counter, objects
// by key, deep copies in and out. It checks what etcd's guards check
// (existence), not resourceVersions, which the registry checks itself.
type Backend struct {
	mu   sync.Mutex
	rev  int64
	objs map[string]storage.Object
}

// NewBackend returns an empty Backend.
func NewBackend() *Backend { return &Backend{objs: map[string]storage.Object{}} }

// Key is "<namespace>/<name>".
func (b *Backend) Key(namespace, name string) string { return namespace + "/" + name }

// Prefix is "<namespace>/" ("/" for all namespaces of a cluster-scoped kind).
func (b *Backend) Prefix(namespace string) string { return namespace + "/" }

// Get reads one object.
func (b *Backend) Get(_ context.Context, key string) (storage.Object, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	o, ok := b.objs[key]
	if !ok {
		return nil, fmt.Errorf("key %q: %w", key, storage.ErrNotFound)
	}
	return o.DeepCopyObject().(storage.Object), nil
}

// Create stores a new object.
func (b *Backend) Create(_ context.Context, key string, obj storage.Object, _ int64) (storage.Object, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.objs[key]; ok {
		return nil, fmt.Errorf("key %q: %w", key, storage.ErrAlreadyExists)
	}
	return b.put(key, obj), nil
}

func (b *Backend) put(key string, obj storage.Object) storage.Object {
	b.rev++
	obj.SetResourceVersion(strconv.FormatInt(b.rev, 10))
	b.objs[key] = obj.DeepCopyObject().(storage.Object)
	return obj
}

// GuaranteedUpdate runs try on a copy of the current object (nil when
// missing and ignoreNotFound) and stores what it returns.
func (b *Backend) GuaranteedUpdate(_ context.Context, key string, ignoreNotFound bool, try func(storage.Object) (storage.Object, error)) (storage.Object, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	cur, ok := b.objs[key]
	if !ok && !ignoreNotFound {
		return nil, fmt.Errorf("key %q: %w", key, storage.ErrNotFound)
	}
	var in storage.Object
	if ok {
		in = cur.DeepCopyObject().(storage.Object)
	}
	out, err := try(in)
	if err != nil {
		return nil, err
	}
	return b.put(key, out), nil
}

// Delete removes the object when check passes.
func (b *Backend) Delete(_ context.Context, key string, check func(storage.Object) error) (storage.Object, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	cur, ok := b.objs[key]
	if !ok {
		return nil, fmt.Errorf("key %q: %w", key, storage.ErrNotFound)
	}
	if err := check(cur.DeepCopyObject().(storage.Object)); err != nil {
		return nil, err
	}
	delete(b.objs, key)
	b.rev++
	cur.SetResourceVersion(strconv.FormatInt(b.rev, 10))
	return cur, nil
}

// List returns the objects under prefix, by key (no paging or filtering
// beyond the predicate).
func (b *Backend) List(_ context.Context, prefix string, opts storage.ListOptions) (*storage.ListResult, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	keys := make([]string, 0, len(b.objs))
	for k := range b.objs {
		if strings.HasPrefix(k, prefix) || prefix == "/" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	res := &storage.ListResult{ResourceVersion: b.rev}
	for _, k := range keys {
		o := b.objs[k].DeepCopyObject().(storage.Object)
		if ok, err := opts.Predicate.Matches(o); err != nil || !ok {
			continue
		}
		res.Items = append(res.Items, o)
	}
	return res, nil
}
