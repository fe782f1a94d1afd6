package registry

import (
	"context"
	"fmt"

	"github.com/skiff-dev/skiff/apiserver/storage"
)

// Objects returns every object in namespace ("" for all) as the watch
// cache holds it (etcd when there is no ready cache), for the server's own
// lookups (authorization, admission). The objects are shared: never change
// them.
func (s *Store) Objects(ctx context.Context, namespace string) ([]storage.Object, error) {
	if s.cache != nil && s.cache.Ready() {
		items, _, err := s.cache.List(ctx, 0, s.cachePrefix(namespace), storage.Predicate{})
		if err != nil {
			return nil, s.apiError(err, "")
		}
		return items, nil
	}
	res, err := s.storage.List(ctx, s.storage.Prefix(s.scopeNamespace(namespace)), storage.ListOptions{})
	if err != nil {
		return nil, s.apiError(err, "")
	}
	if res.Continue != "" {
		return nil, fmt.Errorf("%s: unexpected partial list", s.res.GVR.Resource)
	}
	return res.Items, nil
}
