package apps

import (
	"context"
	"fmt"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apimachineryvalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/registry/core/pod"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

func statefulSetResource(now func() time.Time) *registry.Resource {
	return &registry.Resource{
		GVR:           appsv1.SchemeGroupVersion.WithResource("statefulsets"),
		Kind:          "StatefulSet",
		SingularName:  "statefulset",
		Namespaced:    true,
		ShortNames:    []string{"sts"},
		Categories:    []string{"all"},
		StoragePrefix: "statefulsets",
		New:           func() storage.Object { return &appsv1.StatefulSet{} },
		NewList:       func() runtime.Object { return &appsv1.StatefulSetList{} },
		Strategy:      statefulSetStrategy{},
		Status:        statefulSetStatusStrategy{},
		Table:         statefulSetTable(now),
	}
}

// statefulSetStrategy: names are DNS labels (pods are named after the set),
// most of the spec is immutable, and maxUnavailable (alpha in 1.31, off)
// is dropped.
type statefulSetStrategy struct{ registry.WithStatus }

// ValidateName: stateful set names are DNS labels, as upstream.
func (statefulSetStrategy) ValidateName(name string, prefix bool) []string {
	return apimachineryvalidation.NameIsDNSLabel(name, prefix)
}

func (statefulSetStrategy) Default(obj storage.Object) { defaultStatefulSet(obj.(*appsv1.StatefulSet)) }

func (s statefulSetStrategy) PrepareForCreate(ctx context.Context, obj storage.Object) {
	s.WithStatus.PrepareForCreate(ctx, obj)
	dropMaxUnavailable(obj.(*appsv1.StatefulSet), nil)
}

func (s statefulSetStrategy) PrepareForUpdate(ctx context.Context, obj, old storage.Object) {
	s.WithStatus.PrepareForUpdate(ctx, obj, old)
	dropMaxUnavailable(obj.(*appsv1.StatefulSet), old.(*appsv1.StatefulSet))
}

func (statefulSetStrategy) Validate(_ context.Context, obj storage.Object) field.ErrorList {
	return validateStatefulSetSpec(&obj.(*appsv1.StatefulSet).Spec, field.NewPath("spec"))
}

func (statefulSetStrategy) ValidateUpdate(_ context.Context, obj, old storage.Object) field.ErrorList {
	ss, o := obj.(*appsv1.StatefulSet), old.(*appsv1.StatefulSet)
	errs := validateStatefulSetSpec(&ss.Spec, field.NewPath("spec"))
	rest := ss.Spec.DeepCopy()
	rest.Replicas, rest.Ordinals, rest.Template = o.Spec.Replicas, o.Spec.Ordinals, o.Spec.Template
	rest.UpdateStrategy, rest.MinReadySeconds = o.Spec.UpdateStrategy, o.Spec.MinReadySeconds
	rest.PersistentVolumeClaimRetentionPolicy = o.Spec.PersistentVolumeClaimRetentionPolicy
	if !equalSpec(*rest, o.Spec) {
		errs = append(errs, field.Forbidden(field.NewPath("spec"), "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"))
	}
	return errs
}

// dropMaxUnavailable clears spec.updateStrategy.rollingUpdate.maxUnavailable
// (feature MaxUnavailableStatefulSet, off in 1.31) unless old uses it.
func dropMaxUnavailable(ss, old *appsv1.StatefulSet) {
	if old != nil && old.Spec.UpdateStrategy.RollingUpdate != nil && old.Spec.UpdateStrategy.RollingUpdate.MaxUnavailable != nil {
		return
	}
	if ru := ss.Spec.UpdateStrategy.RollingUpdate; ru != nil {
		ru.MaxUnavailable = nil
	}
}

// defaultStatefulSet is upstream's SetDefaults_StatefulSet with the pod
// template's and the claim templates' defaults.
func defaultStatefulSet(ss *appsv1.StatefulSet) {
	spec := &ss.Spec
	if spec.PodManagementPolicy == "" {
		spec.PodManagementPolicy = appsv1.OrderedReadyPodManagement
	}
	if spec.UpdateStrategy.Type == "" {
		spec.UpdateStrategy.Type = appsv1.RollingUpdateStatefulSetStrategyType
		if spec.UpdateStrategy.RollingUpdate == nil {
			spec.UpdateStrategy.RollingUpdate = &appsv1.RollingUpdateStatefulSetStrategy{}
		}
	}
	if spec.UpdateStrategy.Type == appsv1.RollingUpdateStatefulSetStrategyType && spec.UpdateStrategy.RollingUpdate != nil &&
		spec.UpdateStrategy.RollingUpdate.Partition == nil {
		spec.UpdateStrategy.RollingUpdate.Partition = int32Ptr(0)
	}
	if spec.PersistentVolumeClaimRetentionPolicy == nil {
		spec.PersistentVolumeClaimRetentionPolicy = &appsv1.StatefulSetPersistentVolumeClaimRetentionPolicy{}
	}
	if p := spec.PersistentVolumeClaimRetentionPolicy; p.WhenDeleted == "" {
		p.WhenDeleted = appsv1.RetainPersistentVolumeClaimRetentionPolicyType
	}
	if p := spec.PersistentVolumeClaimRetentionPolicy; p.WhenScaled == "" {
		p.WhenScaled = appsv1.RetainPersistentVolumeClaimRetentionPolicyType
	}
	if spec.Replicas == nil {
		spec.Replicas = int32Ptr(1)
	}
	if spec.RevisionHistoryLimit == nil {
		spec.RevisionHistoryLimit = int32Ptr(10)
	}
	pod.DefaultPodSpec(&spec.Template.Spec)
	for i := range spec.VolumeClaimTemplates {
		defaultClaimTemplate(&spec.VolumeClaimTemplates[i])
	}
}

// defaultClaimTemplate is upstream's PersistentVolumeClaim defaulting:
// phase Pending, volumeMode Filesystem, quantities rounded up to milli.
func defaultClaimTemplate(pvc *corev1.PersistentVolumeClaim) {
	if pvc.Status.Phase == "" {
		pvc.Status.Phase = corev1.ClaimPending
	}
	if pvc.Spec.VolumeMode == nil {
		mode := corev1.PersistentVolumeFilesystem
		pvc.Spec.VolumeMode = &mode
	}
	for _, list := range []corev1.ResourceList{pvc.Spec.Resources.Limits, pvc.Spec.Resources.Requests, pvc.Status.Capacity} {
		for name, q := range list {
			q.RoundUp(-3)
			list[name] = q
		}
	}
}

type statefulSetStatusStrategy struct{ registry.StatusOnly }

func (statefulSetStatusStrategy) ValidateUpdate(_ context.Context, obj, old storage.Object) field.ErrorList {
	ss, o := obj.(*appsv1.StatefulSet), old.(*appsv1.StatefulSet)
	st := &ss.Status
	fldPath := field.NewPath("status")
	ready := registry.Count("readyReplicas", int64(st.ReadyReplicas))
	current := registry.Count("currentReplicas", int64(st.CurrentReplicas))
	updated := registry.Count("updatedReplicas", int64(st.UpdatedReplicas))
	available := registry.Count("availableReplicas", int64(st.AvailableReplicas))
	errs := registry.Nonnegative(fldPath, registry.Count("replicas", int64(st.Replicas)),
		ready, current, updated, available, registry.Count("observedGeneration", st.ObservedGeneration))
	if st.CollisionCount != nil {
		errs = append(errs, apimachineryvalidation.ValidateNonnegativeField(int64(*st.CollisionCount), fldPath.Child("collisionCount"))...)
	}
	errs = append(errs, registry.NotAbove(fldPath, int64(st.Replicas), "cannot be greater than status.replicas", ready, current, updated, available)...)
	errs = append(errs, registry.NotAbove(fldPath, ready.Value, "cannot be greater than status.readyReplicas", available)...)
	return append(errs, validateCollisionCount(st.CollisionCount, o.Status.CollisionCount, fldPath.Child("collisionCount"))...)
}

var statefulSetColumns = []metav1.TableColumnDefinition{
	registry.NameColumn,
	{Name: "Ready", Type: "string", Description: "Number of the pod with ready state"},
	registry.AgeColumn,
	registry.ContainersColumn,
	registry.ImagesColumn,
}

func statefulSetTable(now func() time.Time) registry.TableFunc {
	return registry.Rows(statefulSetColumns, now, statefulSetRow)
}

func statefulSetRow(obj storage.Object, now time.Time) ([]any, error) {
	ss := obj.(*appsv1.StatefulSet)
	names, images := registry.ContainerCells(ss.Spec.Template.Spec.Containers)
	return []any{ss.Name, fmt.Sprintf("%d/%d", int64(ss.Status.ReadyReplicas), int64(int32Value(ss.Spec.Replicas))),
		registry.Age(ss.CreationTimestamp, now), names, images}, nil
}
