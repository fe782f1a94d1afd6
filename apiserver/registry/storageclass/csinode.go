package storageclass

import (
	"context"
	"fmt"
	"time"

	storagev1 "k8s.io/api/storage/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	apimachineryvalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/registry/validname"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

// maxNodeIDLength bounds a driver's nodeID: upstream's strategy allows the
// longer limit (256) on both create and update.
const maxNodeIDLength = 256

func csiNodeResource(now func() time.Time) *registry.Resource {
	return &registry.Resource{
		GVR:                 storagev1.SchemeGroupVersion.WithResource("csinodes"),
		Kind:                "CSINode",
		SingularName:        "csinode",
		StoragePrefix:       "csinodes",
		New:                 func() storage.Object { return &storagev1.CSINode{} },
		NewList:             func() runtime.Object { return &storagev1.CSINodeList{} },
		Strategy:            csiNodeStrategy{},
		Table:               csiNodeTable(now),
		ReturnDeletedObject: true,
	}
}

// csiNodeStrategy: no defaults, no status; an existing driver entry does
// not change (drivers come and go whole).
type csiNodeStrategy struct{ registry.Plain }

func (csiNodeStrategy) Validate(_ context.Context, obj storage.Object) field.ErrorList {
	return validateCSINodeSpec(&obj.(*storagev1.CSINode).Spec, field.NewPath("spec"))
}

// ValidateUpdate is upstream's: ValidateCSINode, then ValidateCSINodeUpdate,
// which validates the object again (so a bad spec is reported twice, as
// upstream does) and refuses changes to a driver entry of the same name.
func (csiNodeStrategy) ValidateUpdate(_ context.Context, obj, old storage.Object) field.ErrorList {
	spec, oldSpec := &obj.(*storagev1.CSINode).Spec, &old.(*storagev1.CSINode).Spec
	specErrs := validateCSINodeSpec(spec, field.NewPath("spec"))
	errs := append(specErrs, specErrs...)
	for _, o := range oldSpec.Drivers {
		for _, n := range spec.Drivers {
			if o.Name == n.Name && !apiequality.Semantic.DeepEqual(o, n) {
				errs = append(errs, field.Invalid(field.NewPath("CSINodeDriver"), n, "field is immutable"))
			}
		}
	}
	return errs
}

// validateCSINodeSpec is upstream's validateCSINodeSpec: each driver has a
// valid, unique name, a nodeID, a non-negative allocatable count and
// distinct qualified topology keys.
func validateCSINodeSpec(spec *storagev1.CSINodeSpec, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	names := map[string]bool{}
	for i, d := range spec.Drivers {
		p := fldPath.Child("drivers").Index(i)
		errs = append(errs, validateDriverName(d.Name, p.Child("name"))...)
		if d.NodeID == "" {
			errs = append(errs, field.Required(p.Child("nodeID"), ""))
		}
		if len(d.NodeID) > maxNodeIDLength {
			errs = append(errs, field.Invalid(p.Child("nodeID"), d.NodeID, fmt.Sprintf("must be %d characters or less", maxNodeIDLength)))
		}
		if a := d.Allocatable; a != nil && a.Count != nil {
			errs = append(errs, apimachineryvalidation.ValidateNonnegativeField(int64(*a.Count), p.Child("allocatable", "count"))...)
		}
		if names[d.Name] {
			errs = append(errs, field.Duplicate(p.Child("name"), d.Name))
		}
		names[d.Name] = true
		keys := map[string]bool{}
		for _, key := range d.TopologyKeys {
			if key == "" {
				errs = append(errs, field.Required(p, ""))
			}
			if keys[key] {
				errs = append(errs, field.Duplicate(p, key))
			}
			keys[key] = true
			for _, msg := range validname.IsQualifiedName(key) {
				errs = append(errs, field.Invalid(p, key, msg))
			}
		}
	}
	return errs
}

var csiNodeColumns = []metav1.TableColumnDefinition{
	registry.NameColumn,
	{Name: "Drivers", Type: "integer", Description: "Drivers indicates the number of CSI drivers registered on the node"},
	registry.AgeColumn,
}

func csiNodeTable(now func() time.Time) registry.TableFunc {
	return registry.Rows(csiNodeColumns, now, csiNodeRow)
}

func csiNodeRow(obj storage.Object, now time.Time) ([]any, error) {
	n := obj.(*storagev1.CSINode)
	return []any{n.Name, int64(len(n.Spec.Drivers)), registry.Age(n.CreationTimestamp, now)}, nil
}
