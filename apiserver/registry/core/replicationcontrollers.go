package core

import (
	"context"
	"strconv"
	"time"

	corev1 "k8s.io/api/core/v1"
	apimachineryvalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/registry/core/pod"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

func replicationControllersResource(now func() time.Time) *registry.Resource {
	return &registry.Resource{
		GVR:              gvr("replicationcontrollers"),
		Kind:             "ReplicationController",
		SingularName:     "replicationcontroller",
		Namespaced:       true,
		ShortNames:       []string{"rc"},
		Categories:       []string{"all"},
		StoragePrefix:    "controllers",
		New:              func() storage.Object { return &corev1.ReplicationController{} },
		NewList:          func() runtime.Object { return &corev1.ReplicationControllerList{} },
		Strategy:         rcStrategy{},
		Status:           rcStatusStrategy{},
		GetAttrs:         rcAttrs,
		SelectableFields: []string{"status.replicas"},
		Table:            registry.Rows(rcColumns, now, rcRow),
	}
}

// rcStrategy: one replica by default, the selector and labels from the
// template's labels; the template must run pods that restart Always and
// match the selector. The status is the controller's; generation is
// tracked (registry.WithStatus).
type rcStrategy struct{ registry.WithStatus }

// Default applies upstream's defaults, then the pod spec's.
func (rcStrategy) Default(obj storage.Object) {
	rc, ok := obj.(*corev1.ReplicationController)
	if !ok {
		return
	}
	if rc.Spec.Template != nil && rc.Spec.Template.Labels != nil {
		tl := rc.Spec.Template.Labels
		if len(rc.Spec.Selector) == 0 {
			rc.Spec.Selector = copyLabels(tl)
		}
		if len(rc.Labels) == 0 {
			rc.Labels = copyLabels(tl)
		}
	}
	if rc.Spec.Replicas == nil {
		one := int32(1)
		rc.Spec.Replicas = &one
	}
	if rc.Spec.Template != nil {
		pod.DefaultPodSpec(&rc.Spec.Template.Spec)
	}
}

func copyLabels(in map[string]string) map[string]string {
	out := make(map[string]string, len(in))
	for k, v := range in {
		out[k] = v
	}
	return out
}

// Validate checks the spec.
func (rcStrategy) Validate(_ context.Context, obj storage.Object) field.ErrorList {
	rc, ok := obj.(*corev1.ReplicationController)
	if !ok {
		return wrongType(obj)
	}
	return validateRCSpec(&rc.Spec, nil, field.NewPath("spec"))
}

// ValidateUpdate checks the spec; GCE disks already in the template may
// stay writable.
func (rcStrategy) ValidateUpdate(_ context.Context, obj, old storage.Object) field.ErrorList {
	rc, ok1 := obj.(*corev1.ReplicationController)
	oldRC, ok2 := old.(*corev1.ReplicationController)
	if !ok1 || !ok2 {
		return wrongType(obj, old)
	}
	return validateRCSpec(&rc.Spec, &oldRC.Spec, field.NewPath("spec"))
}

func validateRCSpec(spec, old *corev1.ReplicationControllerSpec, fldPath *field.Path) field.ErrorList {
	errs := apimachineryvalidation.ValidateNonnegativeField(int64(spec.MinReadySeconds), fldPath.Child("minReadySeconds"))
	if labels.Set(spec.Selector).AsSelector().Empty() {
		errs = append(errs, field.Required(fldPath.Child("selector"), ""))
	}
	replicas := int32(0)
	if spec.Replicas != nil {
		replicas = *spec.Replicas
	}
	errs = append(errs, apimachineryvalidation.ValidateNonnegativeField(int64(replicas), fldPath.Child("replicas"))...)
	var oldTemplate *corev1.PodTemplateSpec
	if old != nil {
		oldTemplate = old.Template
	}
	return append(errs, validateRCTemplate(spec.Template, oldTemplate, spec.Selector, replicas, fldPath.Child("template"))...)
}

func validateRCTemplate(t, old *corev1.PodTemplateSpec, selector map[string]string, replicas int32, fldPath *field.Path) field.ErrorList {
	if t == nil {
		return field.ErrorList{field.Required(fldPath, "")}
	}
	var errs field.ErrorList
	if sel := labels.Set(selector).AsSelector(); !sel.Empty() && !sel.Matches(labels.Set(t.Labels)) {
		errs = append(errs, field.Invalid(fldPath.Child("metadata", "labels"), t.Labels, "`selector` does not match template `labels`"))
	}
	errs = append(errs, pod.ValidatePodTemplateSpec(t, fldPath)...)
	if replicas > 1 {
		var oldVolumes []corev1.Volume
		if old != nil {
			oldVolumes = old.Spec.Volumes
		}
		errs = append(errs, validateReadOnlyPersistentDisks(t.Spec.Volumes, oldVolumes, fldPath.Child("spec", "volumes"))...)
	}
	if t.Spec.RestartPolicy != corev1.RestartPolicyAlways {
		errs = append(errs, field.NotSupported(fldPath.Child("spec", "restartPolicy"), t.Spec.RestartPolicy, []corev1.RestartPolicy{corev1.RestartPolicyAlways}))
	}
	if t.Spec.ActiveDeadlineSeconds != nil {
		errs = append(errs, field.Forbidden(fldPath.Child("spec", "activeDeadlineSeconds"), "activeDeadlineSeconds in ReplicationController is not Supported"))
	}
	return errs
}

// validateReadOnlyPersistentDisks: replicated pods may only share a GCE
// disk read-only (disks already in the old template are let be).
func validateReadOnlyPersistentDisks(volumes, old []corev1.Volume, fldPath *field.Path) field.ErrorList {
	existing := map[string]bool{}
	for _, v := range old {
		if v.GCEPersistentDisk != nil {
			existing[v.Name] = true
		}
	}
	var errs field.ErrorList
	for i, v := range volumes {
		if v.GCEPersistentDisk != nil && !v.GCEPersistentDisk.ReadOnly && !existing[v.Name] {
			errs = append(errs, field.Invalid(fldPath.Index(i).Child("gcePersistentDisk", "readOnly"), false,
				"must be true for replicated pods > 1; GCE PD can only be mounted on multiple machines if it is read-only"))
		}
	}
	return errs
}

// rcStatusStrategy: the replication manager reports counts.
type rcStatusStrategy struct{ registry.StatusOnly }

// ValidateUpdate checks the counts.
func (rcStatusStrategy) ValidateUpdate(_ context.Context, obj, old storage.Object) field.ErrorList {
	rc, ok := obj.(*corev1.ReplicationController)
	if !ok {
		return wrongType(obj, old)
	}
	return validateRCStatus(rc.Status, field.NewPath("status"))
}

func validateRCStatus(s corev1.ReplicationControllerStatus, p *field.Path) field.ErrorList {
	return registry.ValidateReplicaCounts(registry.ReplicaCounts{
		Replicas: s.Replicas, FullyLabeledReplicas: s.FullyLabeledReplicas, ReadyReplicas: s.ReadyReplicas,
		AvailableReplicas: s.AvailableReplicas, ObservedGeneration: s.ObservedGeneration,
	}, p)
}

func rcAttrs(obj storage.Object) (labels.Set, fields.Set, error) {
	rc, ok := obj.(*corev1.ReplicationController)
	if !ok {
		return nil, nil, unexpectedType(obj)
	}
	f := registry.MetaFields(obj)
	f["status.replicas"] = strconv.Itoa(int(rc.Status.Replicas))
	return labels.Set(rc.Labels), f, nil
}

var (
	rcSpecDoc   = corev1.ReplicationControllerSpec{}.SwaggerDoc()
	rcStatusDoc = corev1.ReplicationControllerStatus{}.SwaggerDoc()
	rcColumns   = []metav1.TableColumnDefinition{
		registry.NameColumn,
		{Name: "Desired", Type: "integer", Description: rcSpecDoc["replicas"]},
		{Name: "Current", Type: "integer", Description: rcStatusDoc["replicas"]},
		{Name: "Ready", Type: "integer", Description: rcStatusDoc["readyReplicas"]},
		registry.AgeColumn,
		registry.ContainersColumn,
		registry.ImagesColumn,
		{Name: "Selector", Type: "string", Priority: 1, Description: rcSpecDoc["selector"]},
	}
)

func rcRow(obj storage.Object, now time.Time) ([]any, error) {
	rc, ok := obj.(*corev1.ReplicationController)
	if !ok {
		return nil, unexpectedType(obj)
	}
	desired := int64(0)
	if rc.Spec.Replicas != nil {
		desired = int64(*rc.Spec.Replicas)
	}
	var containers []corev1.Container
	if rc.Spec.Template != nil {
		containers = rc.Spec.Template.Spec.Containers
	}
	names, images := registry.ContainerCells(containers)
	return []any{
		rc.Name, desired, int64(rc.Status.Replicas), int64(rc.Status.ReadyReplicas), age(obj, now),
		names, images, labels.FormatLabels(rc.Spec.Selector),
	}, nil
}
