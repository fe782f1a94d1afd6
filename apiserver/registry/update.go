package registry

import (
	"context"
	"errors"
	"reflect"

	apiequality "k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"

	"github.com/skiff-dev/skiff/apiserver/storage"
)

// UpdateFunc returns the object that replaces current (nil when the object
// does not exist and the kind allows create on update). It runs inside the
// optimistic-concurrency loop and may run more than once: it applies a PUT's
// body or a patch, then mutating admission.
type UpdateFunc func(ctx context.Context, current storage.Object) (storage.Object, error)

// Update replaces the named object by what update returns, through the
// main resource (subresource "") or its status. It answers whether the
// object was created (create on update).
func (s *Store) Update(ctx context.Context, namespace, name, subresource string, update UpdateFunc, opts WriteOptions) (storage.Object, bool, error) {
	strategy, err := s.updateStrategy(subresource)
	if err != nil {
		return nil, false, err
	}
	allowCreate := (s.res.AllowCreateOnUpdate || opts.ForceAllowCreate) && subresource == ""
	key := s.key(namespace, name)
	var created bool
	var dryRunResult, previous storage.Object
	undo := func() {}
	out, err := s.storage.GuaranteedUpdate(ctx, key, allowCreate, func(current storage.Object) (storage.Object, error) {
		undo() // a retry: what the last attempt reserved is reserved again below
		undo = func() {}
		created, previous = current == nil, current
		obj, err := update(ctx, current)
		if err != nil {
			return nil, err
		}
		if err := s.checkIdentity(namespace, name, obj); err != nil {
			return nil, err
		}
		if created {
			obj.SetResourceVersion("")
			u, err := s.reserve(ctx, obj, nil)
			if err != nil {
				return nil, err
			}
			undo = u
			res, err := s.prepareCreate(ctx, namespace, obj, opts)
			if err == nil && opts.DryRun {
				dryRunResult = res
				return nil, errDryRun
			}
			return res, err
		}
		if err := s.checkResourceVersion(obj, current, name); err != nil {
			return nil, err
		}
		s.keepServerMeta(obj, current)
		strategy.PrepareForUpdate(ctx, obj, current)
		if opts.Normalize != nil {
			opts.Normalize(obj, current)
		}
		if subresource == "" {
			bumpGeneration(obj, current)
			u, err := s.reserve(ctx, obj, current)
			if err != nil {
				return nil, err
			}
			undo = u
		}
		errs := s.validateMetaUpdate(obj, current)
		errs = append(errs, strategy.ValidateUpdate(ctx, obj, current)...)
		if len(errs) > 0 {
			return nil, apierrors.NewInvalid(s.res.GroupVersionKind().GroupKind(), name, errs)
		}
		if err := opts.validate(ctx, obj, current); err != nil {
			return nil, err
		}
		if opts.DryRun {
			dryRunResult = obj
			return nil, errDryRun
		}
		return obj, nil
	})
	if errors.Is(err, errDryRun) {
		undo()
		return dryRunResult, created, nil
	}
	if err != nil {
		undo()
		return nil, false, s.apiError(err, name)
	}
	if s.res.Reserver != nil && previous != nil {
		s.res.Reserver.Release(ctx, out, previous)
	}
	if s.finalized(out) {
		deleted, err := s.storage.Delete(ctx, key, func(cur storage.Object) error {
			if !s.finalized(cur) {
				return errNotFinalized
			}
			return nil
		})
		switch {
		case err == nil:
			if s.res.Reserver != nil {
				s.res.Reserver.Release(ctx, nil, deleted)
			}
			return deleted, false, nil
		case errors.Is(err, errNotFinalized), errors.Is(err, storage.ErrNotFound):
		default:
			return nil, false, s.apiError(err, name)
		}
	}
	return out, created, nil
}

var (
	errDryRun       = errors.New("dry run: nothing written")
	errNotFinalized = errors.New("finalizers were added back")
)

func (s *Store) updateStrategy(subresource string) (UpdateStrategy, error) {
	switch {
	case subresource == "":
		return s.res.Strategy, nil
	case subresource == "status" && s.res.Status != nil:
		return s.res.Status, nil
	}
	if st, ok := s.res.Subresources[subresource]; ok {
		return st, nil
	}
	return nil, apierrors.NewNotFound(s.res.GroupResource(), subresource)
}

// HasSubresource says whether s serves the named object subresource.
func (s *Store) HasSubresource(name string) bool {
	_, err := s.updateStrategy(name)
	return name != "" && err == nil
}

// prepareCreate is Create's preparation, for create on update.
func (s *Store) prepareCreate(ctx context.Context, namespace string, obj storage.Object, opts WriteOptions) (storage.Object, error) {
	if err := s.checkNamespace(ctx, namespace, obj); err != nil {
		return nil, err
	}
	s.fillCreateMeta(obj)
	s.res.Strategy.PrepareForCreate(ctx, obj)
	errs := append(s.validateMeta(obj), s.res.Strategy.Validate(ctx, obj)...)
	if len(errs) > 0 {
		return nil, apierrors.NewInvalid(s.res.GroupVersionKind().GroupKind(), obj.GetName(), errs)
	}
	return obj, opts.validate(ctx, obj, nil)
}

// checkIdentity refuses a body naming another object.
func (s *Store) checkIdentity(namespace, name string, obj storage.Object) error {
	if obj.GetName() != name {
		return badRequest("the name of the object (" + obj.GetName() + ") does not match the name on the URL (" + name + ")")
	}
	if s.res.Namespaced && obj.GetNamespace() != "" && obj.GetNamespace() != namespace {
		return badRequest("the namespace of the provided object does not match the namespace sent on the request")
	}
	if s.res.Namespaced {
		obj.SetNamespace(namespace)
	}
	return nil
}

// checkResourceVersion enforces optimistic concurrency: a body carrying a
// resourceVersion must carry the current one.
func (s *Store) checkResourceVersion(obj, current storage.Object, name string) error {
	switch rv := obj.GetResourceVersion(); {
	case rv == "":
		// An unconditional update.
		obj.SetResourceVersion(current.GetResourceVersion())
	case rv != current.GetResourceVersion():
		return apierrors.NewConflict(s.res.GroupResource(), name, errors.New(conflictMessage))
	}
	return nil
}

// keepServerMeta keeps the metadata only the server sets.
func (s *Store) keepServerMeta(obj, current storage.Object) {
	obj.SetUID(current.GetUID())
	obj.SetCreationTimestamp(current.GetCreationTimestamp())
	obj.SetDeletionTimestamp(current.GetDeletionTimestamp())
	obj.SetDeletionGracePeriodSeconds(current.GetDeletionGracePeriodSeconds())
	obj.SetGeneration(current.GetGeneration())
	obj.SetSelfLink("")
}

// bumpGeneration increments metadata.generation when the spec changed, for
// kinds that track it (generation set at create).
func bumpGeneration(obj, old storage.Object) {
	if old.GetGeneration() == 0 {
		return
	}
	if !apiequality.Semantic.DeepEqual(specOf(obj), specOf(old)) {
		obj.SetGeneration(old.GetGeneration() + 1)
	}
}

// specOf returns the object's Spec field, or nil when it has none.
func specOf(obj storage.Object) any {
	v := reflect.ValueOf(obj)
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return nil
	}
	if f := v.FieldByName("Spec"); f.IsValid() {
		return f.Interface()
	}
	return nil
}

// finalized says whether obj is being deleted and nothing holds it.
func (s *Store) finalized(obj storage.Object) bool {
	if obj == nil || obj.GetDeletionTimestamp() == nil || len(obj.GetFinalizers()) > 0 {
		return false
	}
	if dm, ok := s.res.Strategy.(DeletionMarker); ok && dm.HoldsDeletion(obj) {
		return false
	}
	g := obj.GetDeletionGracePeriodSeconds()
	return g == nil || *g == 0
}
