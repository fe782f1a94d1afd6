package registry

import (
	"context"
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"

	"github.com/skiff-dev/skiff/apiserver/storage"
)

func badRequest(msg string) error { return apierrors.NewBadRequest(msg) }

// Create stores a new object in namespace (ignored for cluster-scoped
// kinds). The object has been decoded, defaulted and through mutating
// admission; Create fills the server's metadata, validates, runs
// opts.Validate and writes it (unless dry run).
func (s *Store) Create(ctx context.Context, namespace string, obj storage.Object, opts WriteOptions) (storage.Object, error) {
	if err := s.checkNamespace(ctx, namespace, obj); err != nil {
		return nil, err
	}
	if obj.GetResourceVersion() != "" {
		return nil, badRequest("resourceVersion should not be set on objects to be created")
	}
	s.fillCreateMeta(obj)
	s.res.Strategy.PrepareForCreate(ctx, obj)
	undo, err := s.reserve(ctx, obj, nil)
	if err != nil {
		return nil, err
	}
	out, err := s.create(ctx, obj, opts)
	if err != nil || opts.DryRun {
		undo()
	}
	return out, err
}

// reserve runs the kind's Reserver, if any.
func (s *Store) reserve(ctx context.Context, obj, old storage.Object) (func(), error) {
	if s.res.Reserver == nil {
		return func() {}, nil
	}
	return s.res.Reserver.Reserve(ctx, obj, old)
}

// create validates and writes a prepared object.
func (s *Store) create(ctx context.Context, obj storage.Object, opts WriteOptions) (storage.Object, error) {
	errs := s.validateMeta(obj)
	errs = append(errs, s.res.Strategy.Validate(ctx, obj)...)
	if len(errs) > 0 {
		return nil, apierrors.NewInvalid(s.res.GroupVersionKind().GroupKind(), obj.GetName(), errs)
	}
	if err := opts.validate(ctx, obj, nil); err != nil {
		return nil, err
	}
	if opts.DryRun {
		return obj, nil
	}
	var ttl int64
	if s.res.TTL != nil {
		ttl = s.res.TTL(obj)
	}
	created, err := s.storage.Create(ctx, s.key(obj.GetNamespace(), obj.GetName()), obj, ttl)
	if err != nil {
		return nil, s.apiError(err, obj.GetName())
	}
	return created, nil
}

// Get reads one object.
func (s *Store) Get(ctx context.Context, namespace, name string) (storage.Object, error) {
	obj, err := s.storage.Get(ctx, s.key(namespace, name))
	if err != nil {
		return nil, s.apiError(err, name)
	}
	return obj, nil
}

func internalError(format string, args ...any) error {
	return apierrors.NewInternalError(fmt.Errorf(format, args...))
}
