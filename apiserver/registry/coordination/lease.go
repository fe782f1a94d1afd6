package coordination

import (
	"context"
	"time"

	coordinationv1 "k8s.io/api/coordination/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

// Resources lists the coordination.k8s.io/v1 resources this package serves.
func Resources() []*registry.Resource { return []*registry.Resource{leaseResource(time.Now)} }

func leaseResource(now func() time.Time) *registry.Resource {
	return &registry.Resource{
		GVR:                 coordinationv1.SchemeGroupVersion.WithResource("leases"),
		Kind:                "Lease",
		SingularName:        "lease",
		Namespaced:          true,
		StoragePrefix:       "leases",
		New:                 func() storage.Object { return &coordinationv1.Lease{} },
		NewList:             func() runtime.Object { return &coordinationv1.LeaseList{} },
		Strategy:            leaseStrategy{},
		Table:               leaseTable(now),
		AllowCreateOnUpdate: true,
	}
}

// leaseStrategy: the spec is checked; strategy and preferredHolder
// (feature CoordinatedLeaderElection, alpha in 1.31 and off) are dropped
// unless the stored lease already has them.
type leaseStrategy struct{ registry.Plain }

func (leaseStrategy) PrepareForCreate(_ context.Context, obj storage.Object) {
	dropCoordinatedFields(obj.(*coordinationv1.Lease), nil)
}

func (leaseStrategy) PrepareForUpdate(_ context.Context, obj, old storage.Object) {
	dropCoordinatedFields(obj.(*coordinationv1.Lease), old.(*coordinationv1.Lease))
}

func (leaseStrategy) Validate(_ context.Context, obj storage.Object) field.ErrorList {
	return validateLeaseSpec(&obj.(*coordinationv1.Lease).Spec, field.NewPath("spec"))
}

func (leaseStrategy) ValidateUpdate(_ context.Context, obj, _ storage.Object) field.ErrorList {
	return validateLeaseSpec(&obj.(*coordinationv1.Lease).Spec, field.NewPath("spec"))
}

func dropCoordinatedFields(l, old *coordinationv1.Lease) {
	if old == nil || old.Spec.Strategy == nil {
		l.Spec.Strategy = nil
	}
	if old == nil || old.Spec.PreferredHolder == nil {
		l.Spec.PreferredHolder = nil
	}
}

// validateLeaseSpec is upstream's ValidateLeaseSpec.
func validateLeaseSpec(spec *coordinationv1.LeaseSpec, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	if d := spec.LeaseDurationSeconds; d != nil && *d <= 0 {
		errs = append(errs, field.Invalid(fldPath.Child("leaseDurationSeconds"), d, "must be greater than 0"))
	}
	if n := spec.LeaseTransitions; n != nil && *n < 0 {
		errs = append(errs, field.Invalid(fldPath.Child("leaseTransitions"), n, "must be greater than or equal to 0"))
	}
	if s := spec.Strategy; s != nil && *s != coordinationv1.OldestEmulationVersion {
		errs = append(errs, field.NotSupported(fldPath.Child("strategy"), *s, []coordinationv1.CoordinatedLeaseStrategy{coordinationv1.OldestEmulationVersion}))
	}
	if p := spec.PreferredHolder; p != nil && *p != "" && (spec.HolderIdentity == nil || *spec.HolderIdentity == "") {
		errs = append(errs, field.Forbidden(fldPath.Child("preferredHolder"), "may only be specified if `holderIdentity` is specified"))
	}
	return errs
}

var leaseColumns = []metav1.TableColumnDefinition{
	registry.NameColumn,
	{Name: "Holder", Type: "string", Description: coordinationv1.LeaseSpec{}.SwaggerDoc()["holderIdentity"]},
	registry.AgeColumn,
}

func leaseTable(now func() time.Time) registry.TableFunc {
	return registry.Rows(leaseColumns, now, leaseRow)
}

func leaseRow(obj storage.Object, now time.Time) ([]any, error) {
	l := obj.(*coordinationv1.Lease)
	holder := ""
	if l.Spec.HolderIdentity != nil {
		holder = *l.Spec.HolderIdentity
	}
	return []any{l.Name, holder, registry.Age(l.CreationTimestamp, now)}, nil
}
