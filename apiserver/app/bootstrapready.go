package app

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync/atomic"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

// bootstrapReadiness is upstream's readyz check
// poststarthook/rbac/bootstrap-roles: not ready until the default policy
// is reconciled and the authorizer's watch caches hold it, so that the
// first request after /readyz turns 200 is authorized by the whole policy.
type bootstrapReadiness struct {
	done   atomic.Bool // the bootstrap steps finished
	synced atomic.Bool // and the RBAC caches caught up (latched)
	rbac   []*registry.Store
}

func newBootstrapReadiness(stores []*registry.Store) *bootstrapReadiness {
	b := &bootstrapReadiness{}
	for _, s := range stores {
		if s.Resource().GVR.Group == "rbac.authorization.k8s.io" {
			b.rbac = append(b.rbac, s)
		}
	}
	return b
}

// check reports why the server is not ready yet, or nil.
func (b *bootstrapReadiness) check(ctx context.Context) error {
	if b.synced.Load() {
		return nil
	}
	if !b.done.Load() {
		return errors.New("the default RBAC policy is not reconciled yet")
	}
	for _, s := range b.rbac {
		if err := cachedUpTo(ctx, s); err != nil {
			return err
		}
	}
	b.synced.Store(true)
	return nil
}

// cachedUpTo waits until s's watch cache holds the latest write in etcd
// of its resource: a list not older than that write's revision is served
// by the cache once it has it.
func cachedUpTo(ctx context.Context, s *registry.Store) error {
	live, err := s.List(ctx, "", metav1.ListOptions{})
	if err != nil {
		return err
	}
	var latest int64
	err = meta.EachListItem(live, func(obj runtime.Object) error {
		m, err := meta.Accessor(obj)
		if err != nil {
			return err
		}
		rv, err := strconv.ParseInt(m.GetResourceVersion(), 10, 64)
		latest = max(latest, rv)
		return err
	})
	if err != nil || latest == 0 {
		return err
	}
	// The cache itself, not the store's List, which reads etcd instead
	// while the cache is not ready.
	c := s.Cache()
	if c == nil || !c.Ready() {
		return fmt.Errorf("%s: the watch cache is not ready", s.Resource().GVR.GroupResource())
	}
	if _, _, err := c.List(ctx, latest, "", storage.Predicate{}); err != nil {
		return fmt.Errorf("%s: the watch cache has not caught up: %w", s.Resource().GVR.GroupResource(), err)
	}
	return nil
}
