package registry

import (
	"context"
	"fmt"
	"slices"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/skiff-dev/skiff/apiserver/storage"
)

// The finalizers garbage collection uses, as upstream.
const (
	FinalizerOrphan     = metav1.FinalizerOrphanDependents // "orphan"
	FinalizerForeground = metav1.FinalizerDeleteDependents // "foregroundDeletion"
)

// GracefulDeleter is implemented by strategies of kinds deleted gracefully
// (pods): it returns the grace period to apply, and false to delete at once.
type GracefulDeleter interface {
	GracePeriod(obj storage.Object, opts *metav1.DeleteOptions) (int64, bool)
}

// DeletionMarker is implemented by strategies of kinds whose deletion is
// held by the kind itself (namespaces: spec.finalizers), not only by
// metadata.finalizers.
type DeletionMarker interface {
	// MarkDeleted changes an object being marked for deletion (a
	// namespace's phase becomes Terminating).
	MarkDeleted(obj storage.Object)
	// HoldsDeletion says whether the kind still holds obj.
	HoldsDeletion(obj storage.Object) bool
}

// Delete deletes the named object, or marks it for deletion when a grace
// period or finalizers hold it. The answer is what the API returns: the
// object (when it is held, or for kinds that return deleted objects) or a
// success Status.
func (s *Store) Delete(ctx context.Context, namespace, name string, opts *metav1.DeleteOptions, wo WriteOptions) (runtime.Object, error) {
	if opts == nil {
		opts = &metav1.DeleteOptions{}
	}
	key := s.key(namespace, name)
	current, err := s.storage.Get(ctx, key)
	if err != nil {
		return nil, s.apiError(err, name)
	}
	if err := s.checkPreconditions(opts.Preconditions, current); err != nil {
		return nil, err
	}
	if err := wo.validate(ctx, nil, current); err != nil {
		return nil, err
	}
	if dm, ok := s.res.Strategy.(DeletionMarker); ok {
		if current.GetDeletionTimestamp() != nil && dm.HoldsDeletion(current) {
			return current, nil
		}
		if current.GetDeletionTimestamp() == nil {
			return s.markDeleted(ctx, key, name, opts, 0, wo.DryRun, dm.MarkDeleted)
		}
	}
	if held, grace := s.holdsDeletion(current, opts); held {
		return s.markDeleted(ctx, key, name, opts, grace, wo.DryRun, nil)
	}
	if wo.DryRun {
		return s.deleted(current), nil
	}
	out, err := s.storage.Delete(ctx, key, func(cur storage.Object) error {
		return s.checkPreconditions(opts.Preconditions, cur)
	})
	if err != nil {
		return nil, s.apiError(err, name)
	}
	if s.res.Reserver != nil {
		s.res.Reserver.Release(ctx, nil, out)
	}
	return s.deleted(out), nil
}

// holdsDeletion says whether the object must be marked rather than
// removed: it has (or will get) finalizers, or it is deleted gracefully.
func (s *Store) holdsDeletion(obj storage.Object, opts *metav1.DeleteOptions) (bool, int64) {
	if len(s.finalizersAfter(obj, opts)) > 0 {
		return true, 0
	}
	if g, ok := s.res.Strategy.(GracefulDeleter); ok {
		if grace, graceful := g.GracePeriod(obj, opts); graceful && grace > 0 {
			return true, grace
		}
	}
	return false, 0
}

// finalizersAfter are obj's finalizers once the propagation policy is
// applied: Orphan adds "orphan", Foreground "foregroundDeletion",
// Background removes both.
func (s *Store) finalizersAfter(obj storage.Object, opts *metav1.DeleteOptions) []string {
	fin := slices.Clone(obj.GetFinalizers())
	policy := propagationPolicy(opts)
	if policy == nil {
		return fin
	}
	fin = slices.DeleteFunc(fin, func(f string) bool { return f == FinalizerOrphan || f == FinalizerForeground })
	switch *policy {
	case metav1.DeletePropagationOrphan:
		fin = append(fin, FinalizerOrphan)
	case metav1.DeletePropagationForeground:
		fin = append(fin, FinalizerForeground)
	}
	return fin
}

func propagationPolicy(opts *metav1.DeleteOptions) *metav1.DeletionPropagation {
	if opts.PropagationPolicy != nil {
		return opts.PropagationPolicy
	}
	//nolint:staticcheck // orphanDependents is deprecated but still honoured, as upstream
	if opts.OrphanDependents != nil {
		p := metav1.DeletePropagationBackground
		if *opts.OrphanDependents {
			p = metav1.DeletePropagationOrphan
		}
		return &p
	}
	return nil
}

// markDeleted sets deletionTimestamp (now plus the grace period) and the
// finalizers the policy asks for, leaving the object in place.
func (s *Store) markDeleted(ctx context.Context, key, name string, opts *metav1.DeleteOptions, grace int64, dryRun bool, mark func(storage.Object)) (runtime.Object, error) {
	var preview storage.Object
	out, err := s.storage.GuaranteedUpdate(ctx, key, false, func(cur storage.Object) (storage.Object, error) {
		if err := s.checkPreconditions(opts.Preconditions, cur); err != nil {
			return nil, err
		}
		cur.SetFinalizers(s.finalizersAfter(cur, opts))
		if ts := cur.GetDeletionTimestamp(); ts == nil || grace < gracePeriodOf(cur) {
			when := metav1.NewTime(s.now().Add(secondsDuration(grace)).Truncate(1e9))
			cur.SetDeletionTimestamp(&when)
			cur.SetDeletionGracePeriodSeconds(&grace)
		}
		if mark != nil {
			mark(cur)
		}
		if dryRun {
			preview = cur
			return nil, errDryRun
		}
		return cur, nil
	})
	if dryRun && preview != nil {
		return preview, nil
	}
	if err != nil {
		return nil, s.apiError(err, name)
	}
	return out, nil
}

func gracePeriodOf(obj storage.Object) int64 {
	if g := obj.GetDeletionGracePeriodSeconds(); g != nil {
		return *g
	}
	return 0
}

// deleted is the answer for an object removed now.
func (s *Store) deleted(obj storage.Object) runtime.Object {
	if s.res.ReturnDeletedObject {
		return obj
	}
	return &metav1.Status{
		TypeMeta: metav1.TypeMeta{Kind: "Status", APIVersion: "v1"},
		Status:   metav1.StatusSuccess,
		Details: &metav1.StatusDetails{
			Name: obj.GetName(), Group: s.res.GVR.Group, Kind: s.res.GVR.Resource, UID: obj.GetUID(),
		},
	}
}

// checkPreconditions enforces DeleteOptions.preconditions, worded as upstream.
func (s *Store) checkPreconditions(p *metav1.Preconditions, obj storage.Object) error {
	if p == nil {
		return nil
	}
	if p.UID != nil && *p.UID != obj.GetUID() {
		return apierrors.NewConflict(s.res.GroupResource(), obj.GetName(),
			fmt.Errorf("Precondition failed: UID in precondition: %v, UID in object meta: %v", *p.UID, obj.GetUID()))
	}
	if p.ResourceVersion != nil && *p.ResourceVersion != obj.GetResourceVersion() {
		return apierrors.NewConflict(s.res.GroupResource(), obj.GetName(),
			fmt.Errorf("Precondition failed: ResourceVersion in precondition: %v, ResourceVersion in object meta: %v", *p.ResourceVersion, obj.GetResourceVersion()))
	}
	return nil
}
