package registry

import (
	"context"
	"fmt"
	"time"

	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/skiff-dev/skiff/apiserver/storage"
	"github.com/skiff-dev/skiff/apiserver/watchcache"
)

// Backend keeps one resource's objects: storage.Resource (etcd). It is
// wider than most interfaces here because it is the whole of what a
// resource's persistence is.
type Backend interface {
	Key(namespace, name string) string
	Prefix(namespace string) string
	Get(ctx context.Context, key string) (storage.Object, error)
	Create(ctx context.Context, key string, obj storage.Object, ttlSeconds int64) (storage.Object, error)
	GuaranteedUpdate(ctx context.Context, key string, ignoreNotFound bool, tryUpdate func(current storage.Object) (storage.Object, error)) (storage.Object, error)
	Delete(ctx context.Context, key string, check func(current storage.Object) error) (storage.Object, error)
	List(ctx context.Context, prefix string, opts storage.ListOptions) (*storage.ListResult, error)
}

// Cache is the watch cache of one resource, as the store uses it.
type Cache interface {
	Ready() bool
	// List returns the objects under prefix ("<namespace>/" or "")
	// matching pred, once the cache has reached minRV, and the cache's
	// revision.
	List(ctx context.Context, minRV int64, prefix string, pred storage.Predicate) ([]storage.Object, int64, error)
	// Watch serves a watch from fromRV (0: the current state first).
	Watch(ctx context.Context, fromRV int64, prefix string, pred storage.Predicate, opts watchcache.WatchOptions) (*watchcache.Watcher, error)
}

// Store serves one Resource.
type Store struct {
	res     *Resource
	storage Backend
	cache   Cache // nil: lists go to etcd, watches are refused
	now     func() time.Time
}

// NewStore returns the store of res kept in st, its lists and watches
// served by cache when not nil.
func NewStore(res *Resource, st Backend, cache Cache) *Store {
	return &Store{res: res, storage: st, cache: cache, now: time.Now}
}

// Resource is what s serves.
func (s *Store) Resource() *Resource { return s.res }

// Cache is s's watch cache (nil when it has none).
func (s *Store) Cache() Cache { return s.cache }

// WriteOptions are a write's options beyond the object.
type WriteOptions struct {
	DryRun bool
	// ForceAllowCreate lets an update of the main resource create a
	// missing object whatever the kind says (server-side apply).
	ForceAllowCreate bool
	// Normalize runs on an update after the strategy has prepared it and
	// before validation (managedFields timestamps of no-op writes).
	Normalize func(obj, old storage.Object)
	// Validate runs validating admission on the object about to be stored
	// (old is nil on create); nil runs none.
	Validate func(ctx context.Context, obj, old storage.Object) error
}

func (o WriteOptions) validate(ctx context.Context, obj, old storage.Object) error {
	if o.Validate == nil {
		return nil
	}
	return o.Validate(ctx, obj, old)
}

func (s *Store) key(namespace, name string) string {
	if !s.res.Namespaced {
		namespace = ""
	}
	return s.storage.Key(namespace, name)
}

// attrs is the resource's AttrFunc, or the metadata-only default.
func (s *Store) attrs() storage.AttrFunc {
	if s.res.GetAttrs != nil {
		return s.res.GetAttrs
	}
	return DefaultAttrs
}

// DefaultAttrs selects by labels, metadata.name and metadata.namespace.
func DefaultAttrs(obj storage.Object) (labels.Set, fields.Set, error) {
	return labels.Set(obj.GetLabels()), MetaFields(obj), nil
}

// MetaFields are the fields every kind can be selected by.
func MetaFields(obj storage.Object) fields.Set {
	f := fields.Set{"metadata.name": obj.GetName()}
	if ns := obj.GetNamespace(); ns != "" {
		f["metadata.namespace"] = ns
	}
	return f
}

func (s *Store) newList() (runtime.Object, error) {
	if s.res.NewList == nil {
		return nil, fmt.Errorf("%s: no list type", s.res.GVR.Resource)
	}
	return s.res.NewList(), nil
}
