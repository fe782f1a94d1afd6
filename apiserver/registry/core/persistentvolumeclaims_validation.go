package core

import (
	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	apimachineryvalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1validation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	"k8s.io/apimachinery/pkg/util/sets"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/registry/validname"
)

// pvcOptions are what an old claim lets a new one keep.
type pvcOptions struct {
	// recoverExpansion (RecoverVolumeExpansionFailure, off in v1.31): on
	// for claims that already carry allocated resources.
	recoverExpansion          bool
	invalidSelectorLabelValue bool
	invalidDataSourceGroup    bool
	volumeAttributesClass     bool
}

func pvcValidationOptions(old *corev1.PersistentVolumeClaim) pvcOptions {
	var o pvcOptions
	if old == nil {
		return o
	}
	s := &old.Spec
	o.invalidDataSourceGroup = (s.DataSource != nil && s.DataSource.APIGroup != nil) || (s.DataSourceRef != nil && s.DataSourceRef.APIGroup != nil)
	o.volumeAttributesClass = s.VolumeAttributesClassName != nil
	o.invalidSelectorLabelValue = len(metav1validation.ValidateLabelSelector(s.Selector, metav1validation.LabelSelectorValidationOptions{}, nil)) > 0
	o.recoverExpansion = len(old.Status.AllocatedResources) > 0 || len(old.Status.AllocatedResourceStatuses) > 0
	return o
}

func validatePVCSpec(spec *corev1.PersistentVolumeClaimSpec, p *field.Path, opts pvcOptions) field.ErrorList {
	var errs field.ErrorList
	if len(spec.AccessModes) == 0 {
		errs = append(errs, field.Required(p.Child("accessModes"), "at least 1 access mode is required"))
	}
	if spec.Selector != nil {
		errs = append(errs, metav1validation.ValidateLabelSelector(spec.Selector,
			metav1validation.LabelSelectorValidationOptions{AllowInvalidLabelValueInSelector: opts.invalidSelectorLabelValue}, p.Child("selector"))...)
	}
	if len(spec.AccessModes) > 0 {
		errs = append(errs, validateAccessModes(spec.AccessModes, p.Child("accessModes"), "")...)
	}
	storagePath := p.Child("resources").Key(string(corev1.ResourceStorage))
	if q, ok := spec.Resources.Requests[corev1.ResourceStorage]; !ok {
		errs = append(errs, field.Required(storagePath, ""))
	} else if perrs := validatePositiveQuantity(q, storagePath); len(perrs) > 0 {
		errs = append(errs, perrs...)
	} else {
		errs = append(errs, validateResourceQuantity(corev1.ResourceStorage, q, storagePath)...)
	}
	if sc := spec.StorageClassName; sc != nil && *sc != "" {
		for _, msg := range apimachineryvalidation.NameIsDNSSubdomain(*sc, false) {
			errs = append(errs, field.Invalid(p.Child("storageClassName"), *sc, msg))
		}
	}
	if spec.VolumeMode != nil && !volumeModes.Has(*spec.VolumeMode) {
		errs = append(errs, field.NotSupported(p.Child("volumeMode"), *spec.VolumeMode, sets.List(volumeModes)))
	}
	errs = append(errs, validateDataSources(spec, p, opts.invalidDataSourceGroup)...)
	if vac := spec.VolumeAttributesClassName; vac != nil && *vac != "" && opts.volumeAttributesClass {
		for _, msg := range apimachineryvalidation.NameIsDNSSubdomain(*vac, false) {
			errs = append(errs, field.Invalid(p.Child("volumeAttributesClassName"), *vac, msg))
		}
	}
	return errs
}

// validateDataSources checks dataSource and dataSourceRef, which must
// agree unless the ref crosses namespaces (then dataSource is forbidden).
func validateDataSources(spec *corev1.PersistentVolumeClaimSpec, p *field.Path, allowInvalidGroup bool) field.ErrorList {
	var errs field.ErrorList
	if ds := spec.DataSource; ds != nil {
		errs = append(errs, validateTypedRef(ds.APIGroup, ds.Kind, ds.Name, allowInvalidGroup, p.Child("dataSource"))...)
	}
	ref := spec.DataSourceRef
	if ref != nil {
		errs = append(errs, validateTypedRef(ref.APIGroup, ref.Kind, ref.Name, allowInvalidGroup, p.Child("dataSourceRef"))...)
		if ref.Namespace != nil && *ref.Namespace != "" {
			for _, msg := range apimachineryvalidation.ValidateNamespaceName(*ref.Namespace, false) {
				errs = append(errs, field.Invalid(p.Child("dataSourceRef", "namespace"), *ref.Namespace, msg))
			}
		}
	}
	switch {
	case ref != nil && ref.Namespace != nil && *ref.Namespace != "":
		if spec.DataSource != nil {
			errs = append(errs, field.Invalid(p, p.Child("dataSource"), "may not be specified when dataSourceRef.namespace is specified"))
		}
	case spec.DataSource != nil && ref != nil:
		ds := spec.DataSource
		if !apiequality.Semantic.DeepEqual(ds.APIGroup, ref.APIGroup) || ds.Kind != ref.Kind || ds.Name != ref.Name {
			errs = append(errs, field.Invalid(p, p.Child("dataSource"), "must match dataSourceRef"))
		}
	}
	return errs
}

func validateTypedRef(group *string, kind, name string, allowInvalidGroup bool, p *field.Path) field.ErrorList {
	errs := requireAll(p, nonEmpty("name", name != ""), nonEmpty("kind", kind != ""))
	g := ""
	if group != nil {
		g = *group
	}
	if g == "" && kind != pvcKind {
		errs = append(errs, field.Invalid(p, kind, "must be 'PersistentVolumeClaim' when referencing the default apiGroup"))
	}
	if g != "" && !allowInvalidGroup {
		for _, msg := range validname.IsDNS1123Subdomain(g) {
			errs = append(errs, field.Invalid(p.Child("apiGroup"), g, msg))
		}
	}
	return errs
}

const pvcImmutableMessage = "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims"

// validatePVCUpdate: the spec may change only by binding (volumeName from
// empty), moving the storage class from the beta annotation or from nil,
// and growing a bound claim's storage request.
func validatePVCUpdate(pvc, old *corev1.PersistentVolumeClaim, opts pvcOptions) field.ErrorList {
	errs := validatePVCSpec(&pvc.Spec, field.NewPath("spec"), opts)
	newSpec, oldSpec := pvc.Spec.DeepCopy(), old.Spec.DeepCopy()
	if oldSpec.VolumeName == "" {
		oldSpec.VolumeName = newSpec.VolumeName // bound once
	}
	if storageClassFromAnnotation(old.Annotations, pvc.Annotations, old.Spec.StorageClassName, pvc.Spec.StorageClassName) {
		newSpec.StorageClassName = nil
	} else {
		newAnn, oldAnn := pvc.Annotations[betaStorageClassAnnotation], old.Annotations[betaStorageClassAnnotation]
		if newAnn != oldAnn {
			errs = append(errs, field.Invalid(field.NewPath("metadata", "annotations", betaStorageClassAnnotation), newAnn, fieldImmutableErrorMsg))
		}
		if storageClassFromNil(old.Annotations, old.Spec.StorageClassName, pvc.Spec.StorageClassName) {
			newSpec.StorageClassName = oldSpec.StorageClassName
		}
	}
	bound := pvc.Status.Phase == corev1.ClaimBound
	if bound && newSpec.Resources.Requests != nil {
		newSpec.Resources.Requests[corev1.ResourceStorage] = old.Spec.Resources.Requests[corev1.ResourceStorage]
	}
	if bound && newSpec.VolumeAttributesClassName != nil {
		newSpec.VolumeAttributesClassName = oldSpec.VolumeAttributesClassName
	}
	if !apiequality.Semantic.DeepEqual(*newSpec, *oldSpec) {
		errs = append(errs, field.Forbidden(field.NewPath("spec"), pvcImmutableMessage+"\n"+fieldDiff("core.PersistentVolumeClaimSpec", *oldSpec, *newSpec)))
	}
	oldSize := old.Spec.Resources.Requests[corev1.ResourceStorage]
	newSize := pvc.Spec.Resources.Requests[corev1.ResourceStorage]
	if newSize.Cmp(oldSize) < 0 {
		sizePath := field.NewPath("spec", "resources", "requests", "storage")
		if !opts.recoverExpansion {
			errs = append(errs, field.Forbidden(sizePath, "field can not be less than previous value"))
		} else if newSize.Cmp(old.Status.Capacity[corev1.ResourceStorage]) <= 0 {
			errs = append(errs, field.Forbidden(sizePath, "field can not be less than status.capacity"))
		}
	}
	errs = append(errs, apimachineryvalidation.ValidateImmutableField(pvc.Spec.VolumeMode, old.Spec.VolumeMode, field.NewPath("volumeMode"))...)
	return append(errs, validateVACUpdate(pvc.Spec.VolumeAttributesClassName, old.Spec.VolumeAttributesClassName, opts.volumeAttributesClass, true)...)
}

// storageClassFromAnnotation: the class moves from the old beta annotation
// to storageClassName, unchanged.
func storageClassFromAnnotation(oldAnn, newAnn map[string]string, oldSC, newSC *string) bool {
	oldClass, oldHas := oldAnn[betaStorageClassAnnotation]
	newClass, newHas := newAnn[betaStorageClassAnnotation]
	return oldHas && oldSC == nil && newSC != nil && *newSC == oldClass && (!newHas || newClass == oldClass)
}

// storageClassFromNil: a claim without class gets one (the default class
// assigned retroactively), agreeing with any old annotation.
func storageClassFromNil(oldAnn map[string]string, oldSC, newSC *string) bool {
	oldClass, oldHas := oldAnn[betaStorageClassAnnotation]
	return newSC != nil && oldSC == nil && (!oldHas || *newSC == oldClass)
}

var resizeStatuses = sets.New(
	corev1.PersistentVolumeClaimControllerResizeInProgress, corev1.PersistentVolumeClaimControllerResizeInfeasible,
	corev1.PersistentVolumeClaimNodeResizePending, corev1.PersistentVolumeClaimNodeResizeInProgress,
	corev1.PersistentVolumeClaimNodeResizeInfeasible,
)

func validatePVCStatus(pvc *corev1.PersistentVolumeClaim, opts pvcOptions) field.ErrorList {
	var errs field.ErrorList
	if len(pvc.Spec.AccessModes) == 0 {
		errs = append(errs, field.Required(field.NewPath("Spec", "accessModes"), ""))
	}
	capPath := field.NewPath("status", "capacity")
	for r, q := range pvc.Status.Capacity {
		errs = append(errs, validateBasicResource(q, capPath.Key(string(r)))...)
	}
	if !opts.recoverExpansion {
		return errs
	}
	statusPath := field.NewPath("status", "allocatedResourceStatus")
	for k, v := range pvc.Status.AllocatedResourceStatuses {
		errs = append(errs, validateClaimResourceKey(k, statusPath)...)
		if !resizeStatuses.Has(v) {
			errs = append(errs, field.NotSupported(statusPath, k, sets.List(resizeStatuses)))
		}
	}
	allocPath := field.NewPath("status", "allocatedResources")
	for r, q := range pvc.Status.AllocatedResources {
		if kerrs := validateClaimResourceKey(r, allocPath); len(kerrs) > 0 {
			errs = append(errs, kerrs...)
			continue
		}
		if berrs := validateBasicResource(q, allocPath.Key(string(r))); len(berrs) > 0 {
			errs = append(errs, berrs...)
		} else {
			errs = append(errs, validateResourceQuantity(corev1.ResourceStorage, q, allocPath.Key(string(r)))...)
		}
	}
	return errs
}

// validateClaimResourceKey: a qualified name, "storage" if native.
func validateClaimResourceKey(name corev1.ResourceName, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	for _, msg := range validname.IsQualifiedName(string(name)) {
		errs = append(errs, field.Invalid(p, string(name), msg))
	}
	if len(errs) == 0 && isNativeResource(name) && name != corev1.ResourceStorage {
		errs = append(errs, field.NotSupported(p, string(name), []corev1.ResourceName{corev1.ResourceStorage}))
	}
	return errs
}
