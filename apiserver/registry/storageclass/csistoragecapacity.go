package storageclass

import (
	"context"

	storagev1 "k8s.io/api/storage/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/apimachinery/pkg/api/resource"
	apimachineryvalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1validation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

// csiStorageCapacityResource has no Table: upstream serves these with the
// default table (NAME, CREATED AT), which the endpoints give kinds
// without their own.
func csiStorageCapacityResource() *registry.Resource {
	return &registry.Resource{
		GVR:           storagev1.SchemeGroupVersion.WithResource("csistoragecapacities"),
		Kind:          "CSIStorageCapacity",
		SingularName:  "csistoragecapacity",
		Namespaced:    true,
		StoragePrefix: "csistoragecapacities",
		New:           func() storage.Object { return &storagev1.CSIStorageCapacity{} },
		NewList:       func() runtime.Object { return &storagev1.CSIStorageCapacityList{} },
		Strategy:      csiStorageCapacityStrategy{},
	}
}

// csiStorageCapacityStrategy: nodeTopology and storageClassName (the
// inputs of the CSI GetCapacity call) are fixed once created.
type csiStorageCapacityStrategy struct{ registry.Plain }

func (csiStorageCapacityStrategy) Validate(_ context.Context, obj storage.Object) field.ErrorList {
	return validateCSIStorageCapacity(obj.(*storagev1.CSIStorageCapacity), false)
}

// ValidateUpdate tolerates invalid label values in nodeTopology when the
// stored object already had them, as upstream.
func (csiStorageCapacityStrategy) ValidateUpdate(_ context.Context, obj, old storage.Object) field.ErrorList {
	c, o := obj.(*storagev1.CSIStorageCapacity), old.(*storagev1.CSIStorageCapacity)
	invalid := len(metav1validation.ValidateLabelSelector(o.NodeTopology, metav1validation.LabelSelectorValidationOptions{}, nil)) > 0
	errs := validateCSIStorageCapacity(c, invalid)
	if !apiequality.Semantic.DeepEqual(c.NodeTopology, o.NodeTopology) {
		errs = append(errs, field.Invalid(field.NewPath("nodeTopology"), c.NodeTopology, "field is immutable"))
	}
	if c.StorageClassName != o.StorageClassName {
		errs = append(errs, field.Invalid(field.NewPath("storageClassName"), c.StorageClassName, "field is immutable"))
	}
	return errs
}

// validateCSIStorageCapacity is upstream's ValidateCSIStorageCapacity
// without the metadata: the topology selector, the class name (a DNS
// subdomain) and a non-negative capacity.
func validateCSIStorageCapacity(c *storagev1.CSIStorageCapacity, allowInvalidLabelValues bool) field.ErrorList {
	opts := metav1validation.LabelSelectorValidationOptions{AllowInvalidLabelValueInSelector: allowInvalidLabelValues}
	errs := metav1validation.ValidateLabelSelector(c.NodeTopology, opts, field.NewPath("nodeTopology"))
	for _, msg := range apimachineryvalidation.NameIsDNSSubdomain(c.StorageClassName, false) {
		errs = append(errs, field.Invalid(field.NewPath("storageClassName"), c.StorageClassName, msg))
	}
	if c.Capacity != nil && c.Capacity.Cmp(resource.Quantity{}) < 0 {
		errs = append(errs, field.Invalid(field.NewPath("capacity"), c.Capacity.String(), apimachineryvalidation.IsNegativeErrorMsg))
	}
	return errs
}
