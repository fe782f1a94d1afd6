package core

import (
	"context"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

func persistentVolumeClaimsResource(now func() time.Time) *registry.Resource {
	return &registry.Resource{
		GVR:              gvr("persistentvolumeclaims"),
		Kind:             "PersistentVolumeClaim",
		SingularName:     "persistentvolumeclaim",
		Namespaced:       true,
		ShortNames:       []string{"pvc"},
		StoragePrefix:    "persistentvolumeclaims",
		New:              func() storage.Object { return &corev1.PersistentVolumeClaim{} },
		NewList:          func() runtime.Object { return &corev1.PersistentVolumeClaimList{} },
		Strategy:         pvcStrategy{},
		Status:           pvcStatusStrategy{},
		GetAttrs:         pvcAttrs,
		SelectableFields: []string{"name"},
		Table:            registry.Rows(pvcColumns, now, pvcRow),
	}
}

// pvcStrategy: the spec is fixed once created, but for binding
// (volumeName, once) and growing a bound claim's storage request; data
// sources are normalized as upstream's AnyVolumeDataSource feature does;
// volumeAttributesClassName is dropped (feature off in v1.31).
type pvcStrategy struct{}

// Default applies upstream's claim defaults.
func (pvcStrategy) Default(obj storage.Object) {
	pvc, ok := obj.(*corev1.PersistentVolumeClaim)
	if !ok {
		return
	}
	if pvc.Status.Phase == "" {
		pvc.Status.Phase = corev1.ClaimPending
	}
	if pvc.Spec.VolumeMode == nil {
		mode := corev1.PersistentVolumeFilesystem
		pvc.Spec.VolumeMode = &mode
	}
}

// PrepareForCreate clears the status and normalizes the data sources.
func (pvcStrategy) PrepareForCreate(_ context.Context, obj storage.Object) {
	pvc, ok := obj.(*corev1.PersistentVolumeClaim)
	if !ok {
		return
	}
	pvc.Status = corev1.PersistentVolumeClaimStatus{}
	pvc.Spec.VolumeAttributesClassName = nil
	enforceDataSourceCompatibility(&pvc.Spec, nil)
	normalizeDataSources(&pvc.Spec)
}

// PrepareForUpdate keeps the status and normalizes the data sources.
func (pvcStrategy) PrepareForUpdate(_ context.Context, obj, old storage.Object) {
	pvc, ok1 := obj.(*corev1.PersistentVolumeClaim)
	oldPVC, ok2 := old.(*corev1.PersistentVolumeClaim)
	if !ok1 || !ok2 {
		return
	}
	pvc.Status = oldPVC.Status
	if oldPVC.Spec.VolumeAttributesClassName == nil {
		pvc.Spec.VolumeAttributesClassName = nil
	}
	enforceDataSourceCompatibility(&pvc.Spec, &oldPVC.Spec)
	normalizeDataSources(&pvc.Spec)
}

// Validate checks the spec.
func (pvcStrategy) Validate(_ context.Context, obj storage.Object) field.ErrorList {
	pvc, ok := obj.(*corev1.PersistentVolumeClaim)
	if !ok {
		return wrongType(obj)
	}
	return validatePVCSpec(&pvc.Spec, field.NewPath("spec"), pvcValidationOptions(nil))
}

// ValidateUpdate checks the spec and what may change.
func (pvcStrategy) ValidateUpdate(_ context.Context, obj, old storage.Object) field.ErrorList {
	pvc, ok1 := obj.(*corev1.PersistentVolumeClaim)
	oldPVC, ok2 := old.(*corev1.PersistentVolumeClaim)
	if !ok1 || !ok2 {
		return wrongType(obj, old)
	}
	// Claims stored before dataSourceRef existed compare normalized.
	oldNorm := oldPVC.DeepCopy()
	normalizeDataSources(&oldNorm.Spec)
	return validatePVCUpdate(pvc, oldNorm, pvcValidationOptions(oldPVC))
}

const (
	pvcKind            = "PersistentVolumeClaim"
	volumeSnapshotKind = "VolumeSnapshot"
	snapshotGroup      = "snapshot.storage.k8s.io"
)

// enforceDataSourceCompatibility drops a dataSource of a kind other than
// a claim or a volume snapshot, unless the old claim had one.
func enforceDataSourceCompatibility(spec, old *corev1.PersistentVolumeClaimSpec) {
	if old != nil && old.DataSource != nil {
		return
	}
	ds := spec.DataSource
	if ds == nil {
		return
	}
	group := ""
	if ds.APIGroup != nil {
		group = *ds.APIGroup
	}
	if (ds.Kind == pvcKind && group == "") || (ds.Kind == volumeSnapshotKind && group == snapshotGroup) {
		return
	}
	spec.DataSource = nil
}

// normalizeDataSources makes dataSource and dataSourceRef agree when only
// one is given (a cross-namespace dataSourceRef has no dataSource).
func normalizeDataSources(spec *corev1.PersistentVolumeClaimSpec) {
	switch {
	case spec.DataSource != nil && spec.DataSourceRef == nil:
		ds := spec.DataSource
		spec.DataSourceRef = &corev1.TypedObjectReference{APIGroup: ds.APIGroup, Kind: ds.Kind, Name: ds.Name}
	case spec.DataSourceRef != nil && spec.DataSource == nil:
		ref := spec.DataSourceRef
		if ref.Namespace == nil || *ref.Namespace == "" {
			spec.DataSource = &corev1.TypedLocalObjectReference{APIGroup: ref.APIGroup, Kind: ref.Kind, Name: ref.Name}
		}
	}
}

// pvcStatusStrategy: the binder and resizers write the status.
type pvcStatusStrategy struct{ registry.StatusOnly }

// PrepareForUpdate keeps the spec and drops status fields of features off
// in v1.31, unless the old status had them.
func (s pvcStatusStrategy) PrepareForUpdate(ctx context.Context, obj, old storage.Object) {
	s.StatusOnly.PrepareForUpdate(ctx, obj, old)
	pvc, ok1 := obj.(*corev1.PersistentVolumeClaim)
	oldPVC, ok2 := old.(*corev1.PersistentVolumeClaim)
	if !ok1 || !ok2 {
		return
	}
	st, oldSt := &pvc.Status, &oldPVC.Status
	if oldSt.CurrentVolumeAttributesClassName == nil {
		st.CurrentVolumeAttributesClassName = nil
	}
	if oldSt.ModifyVolumeStatus == nil {
		st.ModifyVolumeStatus = nil
	}
	if len(oldSt.AllocatedResources) == 0 {
		st.AllocatedResources = nil
	}
	if len(oldSt.AllocatedResourceStatuses) == 0 {
		st.AllocatedResourceStatuses = nil
	}
}

// ValidateUpdate checks the status.
func (pvcStatusStrategy) ValidateUpdate(_ context.Context, obj, old storage.Object) field.ErrorList {
	pvc, ok1 := obj.(*corev1.PersistentVolumeClaim)
	oldPVC, ok2 := old.(*corev1.PersistentVolumeClaim)
	if !ok1 || !ok2 {
		return wrongType(obj, old)
	}
	return validatePVCStatus(pvc, pvcValidationOptions(oldPVC))
}

func pvcAttrs(obj storage.Object) (labels.Set, fields.Set, error) {
	if _, ok := obj.(*corev1.PersistentVolumeClaim); !ok {
		return nil, nil, unexpectedType(obj)
	}
	f := registry.MetaFields(obj)
	f["name"] = obj.GetName() // upstream keeps this old field for compatibility
	return labels.Set(obj.GetLabels()), f, nil
}

var (
	pvcStatusDoc = corev1.PersistentVolumeClaimStatus{}.SwaggerDoc()
	pvcSpecDoc   = corev1.PersistentVolumeClaimSpec{}.SwaggerDoc()
	pvcColumns   = []metav1.TableColumnDefinition{
		registry.NameColumn,
		{Name: "Status", Type: "string", Description: pvcStatusDoc["phase"]},
		{Name: "Volume", Type: "string", Description: pvcSpecDoc["volumeName"]},
		{Name: "Capacity", Type: "string", Description: pvcStatusDoc["capacity"]},
		{Name: "Access Modes", Type: "string", Description: pvcStatusDoc["accessModes"]},
		{Name: "StorageClass", Type: "string", Description: "StorageClass of the pvc"},
		{Name: "VolumeAttributesClass", Type: "string", Description: "VolumeAttributesClass of the pvc"},
		registry.AgeColumn,
		{Name: "VolumeMode", Type: "string", Priority: 1, Description: pvcSpecDoc["volumeMode"]},
	}
)

// pvcRow shows capacity and access modes once the claim names its volume.
func pvcRow(obj storage.Object, now time.Time) ([]any, error) {
	pvc, ok := obj.(*corev1.PersistentVolumeClaim)
	if !ok {
		return nil, unexpectedType(obj)
	}
	phase := string(pvc.Status.Phase)
	if pvc.DeletionTimestamp != nil {
		phase = "Terminating"
	}
	capacity, modes := "", ""
	if pvc.Spec.VolumeName != "" {
		modes = accessModesString(pvc.Status.AccessModes)
		q := pvc.Status.Capacity[corev1.ResourceStorage]
		capacity = q.String()
	}
	class := ""
	if pvc.Spec.StorageClassName != nil {
		class = *pvc.Spec.StorageClassName
	}
	if c, ok := pvc.Annotations[betaStorageClassAnnotation]; ok {
		class = c
	}
	return []any{
		pvc.Name, phase, pvc.Spec.VolumeName, capacity, modes, class,
		orUnset(pvc.Spec.VolumeAttributesClassName), age(obj, now), volumeModeString(pvc.Spec.VolumeMode),
	}, nil
}
