package core

import (
	"context"
	"strings"
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

func persistentVolumesResource(now func() time.Time) *registry.Resource {
	return &registry.Resource{
		GVR:              gvr("persistentvolumes"),
		Kind:             "PersistentVolume",
		SingularName:     "persistentvolume",
		ShortNames:       []string{"pv"},
		StoragePrefix:    "persistentvolumes",
		New:              func() storage.Object { return &corev1.PersistentVolume{} },
		NewList:          func() runtime.Object { return &corev1.PersistentVolumeList{} },
		Strategy:         pvStrategy{now: now},
		Status:           pvStatusStrategy{now: now},
		GetAttrs:         pvAttrs,
		SelectableFields: []string{"name"},
		Table:            registry.Rows(pvColumns, now, pvRow),
	}
}

// pvStrategy: a new volume is Pending with its transition time; the source
// never changes; volumeAttributesClassName is dropped as the
// VolumeAttributesClass feature (beta, off in v1.31) does.
type pvStrategy struct{ now func() time.Time }

// Default applies upstream's volume defaults.
func (pvStrategy) Default(obj storage.Object) {
	pv, ok := obj.(*corev1.PersistentVolume)
	if !ok {
		return
	}
	if pv.Status.Phase == "" {
		pv.Status.Phase = corev1.VolumePending
	}
	if pv.Spec.PersistentVolumeReclaimPolicy == "" {
		pv.Spec.PersistentVolumeReclaimPolicy = corev1.PersistentVolumeReclaimRetain
	}
	if pv.Spec.VolumeMode == nil {
		mode := corev1.PersistentVolumeFilesystem
		pv.Spec.VolumeMode = &mode
	}
	defaultPVSource(&pv.Spec.PersistentVolumeSource)
}

// PrepareForCreate starts the status at Pending.
func (s pvStrategy) PrepareForCreate(_ context.Context, obj storage.Object) {
	pv, ok := obj.(*corev1.PersistentVolume)
	if !ok {
		return
	}
	now := metav1.NewTime(s.now().Truncate(time.Second))
	pv.Status = corev1.PersistentVolumeStatus{Phase: corev1.VolumePending, LastPhaseTransitionTime: &now}
	pv.Spec.VolumeAttributesClassName = nil
}

// PrepareForUpdate keeps the status.
func (pvStrategy) PrepareForUpdate(_ context.Context, obj, old storage.Object) {
	pv, ok1 := obj.(*corev1.PersistentVolume)
	oldPV, ok2 := old.(*corev1.PersistentVolume)
	if !ok1 || !ok2 {
		return
	}
	pv.Status = oldPV.Status
	if oldPV.Spec.VolumeAttributesClassName == nil {
		pv.Spec.VolumeAttributesClassName = nil
	}
}

// Validate checks the spec.
func (pvStrategy) Validate(_ context.Context, obj storage.Object) field.ErrorList {
	pv, ok := obj.(*corev1.PersistentVolume)
	if !ok {
		return wrongType(obj)
	}
	return validatePV(pv, pvValidationOptions(nil))
}

// ValidateUpdate checks the spec and what may not change.
func (pvStrategy) ValidateUpdate(_ context.Context, obj, old storage.Object) field.ErrorList {
	pv, ok1 := obj.(*corev1.PersistentVolume)
	oldPV, ok2 := old.(*corev1.PersistentVolume)
	if !ok1 || !ok2 {
		return wrongType(obj, old)
	}
	return validatePVUpdate(pv, oldPV, pvValidationOptions(oldPV))
}

// pvStatusStrategy: the binder writes the phase; the transition time
// follows it.
type pvStatusStrategy struct {
	registry.StatusOnly
	now func() time.Time
}

// PrepareForUpdate keeps the spec and stamps phase changes.
func (s pvStatusStrategy) PrepareForUpdate(ctx context.Context, obj, old storage.Object) {
	s.StatusOnly.PrepareForUpdate(ctx, obj, old)
	pv, ok1 := obj.(*corev1.PersistentVolume)
	oldPV, ok2 := old.(*corev1.PersistentVolume)
	if !ok1 || !ok2 {
		return
	}
	st, oldSt := &pv.Status, &oldPV.Status
	switch {
	case st.Phase == oldSt.Phase && st.LastPhaseTransitionTime == nil:
		st.LastPhaseTransitionTime = oldSt.LastPhaseTransitionTime
	case st.Phase != oldSt.Phase && (st.LastPhaseTransitionTime == nil || st.LastPhaseTransitionTime.Equal(oldSt.LastPhaseTransitionTime)):
		now := metav1.NewTime(s.now().Truncate(time.Second))
		st.LastPhaseTransitionTime = &now
	}
}

func pvAttrs(obj storage.Object) (labels.Set, fields.Set, error) {
	if _, ok := obj.(*corev1.PersistentVolume); !ok {
		return nil, nil, unexpectedType(obj)
	}
	f := registry.MetaFields(obj)
	f["name"] = obj.GetName() // upstream keeps this old field for compatibility
	return labels.Set(obj.GetLabels()), f, nil
}

// Storage classes once came from this annotation, which still wins.
const betaStorageClassAnnotation = "volume.beta.kubernetes.io/storage-class"

var (
	pvSpecDoc = corev1.PersistentVolumeSpec{}.SwaggerDoc()
	pvColumns = []metav1.TableColumnDefinition{
		registry.NameColumn,
		{Name: "Capacity", Type: "string", Description: pvSpecDoc["capacity"]},
		{Name: "Access Modes", Type: "string", Description: pvSpecDoc["accessModes"]},
		{Name: "Reclaim Policy", Type: "string", Description: pvSpecDoc["persistentVolumeReclaimPolicy"]},
		{Name: "Status", Type: "string", Description: corev1.PersistentVolumeStatus{}.SwaggerDoc()["phase"]},
		{Name: "Claim", Type: "string", Description: pvSpecDoc["claimRef"]},
		{Name: "StorageClass", Type: "string", Description: "StorageClass of the pv"},
		{Name: "VolumeAttributesClass", Type: "string", Description: "VolumeAttributesClass of the pv"},
		{Name: "Reason", Type: "string", Description: corev1.PersistentVolumeStatus{}.SwaggerDoc()["reason"]},
		registry.AgeColumn,
		{Name: "VolumeMode", Type: "string", Priority: 1, Description: pvSpecDoc["volumeMode"]},
	}
)

func pvRow(obj storage.Object, now time.Time) ([]any, error) {
	pv, ok := obj.(*corev1.PersistentVolume)
	if !ok {
		return nil, unexpectedType(obj)
	}
	claim := ""
	if ref := pv.Spec.ClaimRef; ref != nil {
		claim = ref.Namespace + "/" + ref.Name
	}
	capacity := pv.Spec.Capacity[corev1.ResourceStorage]
	phase := string(pv.Status.Phase)
	if pv.DeletionTimestamp != nil {
		phase = "Terminating"
	}
	class := pv.Spec.StorageClassName
	if c, ok := pv.Annotations[betaStorageClassAnnotation]; ok {
		class = c
	}
	return []any{
		pv.Name, capacity.String(), accessModesString(pv.Spec.AccessModes), string(pv.Spec.PersistentVolumeReclaimPolicy),
		phase, claim, class, orUnset(pv.Spec.VolumeAttributesClassName), pv.Status.Reason, age(obj, now),
		volumeModeString(pv.Spec.VolumeMode),
	}, nil
}

// accessModesString abbreviates access modes, always in the order
// RWO, ROX, RWX, RWOP.
func accessModesString(modes []corev1.PersistentVolumeAccessMode) string {
	has := map[corev1.PersistentVolumeAccessMode]bool{}
	for _, m := range modes {
		has[m] = true
	}
	var out []string
	for _, m := range []struct {
		mode  corev1.PersistentVolumeAccessMode
		short string
	}{{corev1.ReadWriteOnce, "RWO"}, {corev1.ReadOnlyMany, "ROX"}, {corev1.ReadWriteMany, "RWX"}, {corev1.ReadWriteOncePod, "RWOP"}} {
		if has[m.mode] {
			out = append(out, m.short)
		}
	}
	return strings.Join(out, ",")
}

func orUnset(s *string) string {
	if s == nil {
		return "<unset>"
	}
	return *s
}

func volumeModeString(m *corev1.PersistentVolumeMode) string {
	if m == nil {
		return "<unset>"
	}
	return string(*m)
}
