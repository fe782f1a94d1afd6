package registry

import (
	"context"

	"k8s.io/apimachinery/pkg/fields"

	"github.com/skiff-dev/skiff/apiserver/storage"
)

// CachedGet reads one object from the watch cache (etcd when the cache is
// not ready), for the server's own lookups on the hot path (admission).
// The object is shared: never change it.
func (s *Store) CachedGet(ctx context.Context, namespace, name string) (storage.Object, error) {
	if s.cache == nil || !s.cache.Ready() {
		return s.Get(ctx, namespace, name)
	}
	prefix := name
	if ns := s.scopeNamespace(namespace); ns != "" {
		prefix = ns + "/" + name
	}
	pred := storage.Predicate{Field: fields.OneTermEqualSelector("metadata.name", name), GetAttrs: DefaultAttrs}
	items, _, err := s.cache.List(ctx, 0, prefix, pred)
	if err != nil {
		return nil, s.apiError(err, name)
	}
	if len(items) == 0 {
		return nil, s.apiError(storage.ErrNotFound, name)
	}
	return items[0], nil
}
