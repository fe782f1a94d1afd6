package subresource

import (
	"context"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

// The handlers read and write through the registry's stores
// (*registry.Store), as these interfaces ask.

// Getter reads one object of a store (namespace "" for cluster-scoped
// kinds).
type Getter interface {
	Get(ctx context.Context, namespace, name string) (storage.Object, error)
}

// Updater replaces one object through a store's guarded update: update
// runs on the current object, again when another writer got there first.
type Updater interface {
	Update(ctx context.Context, namespace, name, subresource string, update registry.UpdateFunc, opts registry.WriteOptions) (storage.Object, bool, error)
}
