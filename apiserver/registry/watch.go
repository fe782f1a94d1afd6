package registry

import (
	"context"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/skiff-dev/skiff/apiserver/watchcache"
)

// Watch starts a watch of namespace's objects ("" for all), served by the
// watch cache: resourceVersion "" or "0" first sends the current state as
// ADDED events; a later version sends the changes after it, or fails with
// a 410 Expired error once the cache no longer holds them.
func (s *Store) Watch(ctx context.Context, namespace string, opts metav1.ListOptions) (*watchcache.Watcher, error) {
	if s.cache == nil {
		return nil, apierrors.NewMethodNotSupported(s.res.GroupResource(), "watch")
	}
	pred, err := s.Predicate(opts.LabelSelector, opts.FieldSelector)
	if err != nil {
		return nil, err
	}
	rv, err := parseResourceVersion(opts.ResourceVersion)
	if err != nil {
		return nil, err
	}
	w, err := s.cache.Watch(ctx, rv, s.cachePrefix(namespace), pred, watchcache.WatchOptions{
		AllowBookmarks:    opts.AllowWatchBookmarks,
		SendInitialEvents: opts.SendInitialEvents,
	})
	if err != nil {
		return nil, s.apiError(err, "")
	}
	return w, nil
}
