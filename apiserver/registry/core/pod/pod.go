package pod

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

// Resources returns the resources this package serves: pods, with their
// status subresource.
func Resources() []*registry.Resource {
	return []*registry.Resource{{
		GVR:                 corev1.SchemeGroupVersion.WithResource("pods"),
		Kind:                "Pod",
		SingularName:        "pod",
		Namespaced:          true,
		ShortNames:          []string{"po"},
		Categories:          []string{"all"},
		StoragePrefix:       "pods",
		New:                 func() storage.Object { return &corev1.Pod{} },
		NewList:             func() runtime.Object { return &corev1.PodList{} },
		Strategy:            strategy{allowPrivileged: true},
		Status:              statusStrategy{},
		GetAttrs:            GetAttrs,
		SelectableFields:    selectableFields,
		Table:               Table,
		ReturnDeletedObject: true,
	}}
}

// strategy is the main resource's rules. allowPrivileged is
// kube-apiserver's --allow-privileged (kubeadm and most clusters set it).
type strategy struct{ allowPrivileged bool }

var (
	_ registry.Strategy        = strategy{}
	_ registry.GracefulDeleter = strategy{}
)

// Default applies upstream's pod defaults to every decoded body.
func (strategy) Default(obj storage.Object) {
	if pod, ok := obj.(*corev1.Pod); ok {
		defaultPod(pod)
	}
}

// PrepareForCreate starts the status (Pending, with the QoS class) and
// applies what the server sets on a new pod.
func (strategy) PrepareForCreate(_ context.Context, obj storage.Object) {
	pod, ok := obj.(*corev1.Pod)
	if !ok {
		return
	}
	pod.Status = corev1.PodStatus{Phase: corev1.PodPending, QOSClass: qosClass(pod)}
	dropDisabledFields(pod, nil)
	applySchedulingGatedCondition(pod)
	mutatePodAffinity(pod)
	applyAppArmorVersionSkew(pod)
}

// Validate checks a new pod.
func (s strategy) Validate(_ context.Context, obj storage.Object) field.ErrorList {
	pod, ok := obj.(*corev1.Pod)
	if !ok {
		return wrongType(obj)
	}
	opts := optionsFor(nil)
	opts.allowPrivileged = s.allowPrivileged
	return validatePodCreate(pod, opts)
}

// PrepareForUpdate keeps the status, which only pods/status changes.
func (strategy) PrepareForUpdate(_ context.Context, obj, old storage.Object) {
	pod, ok := obj.(*corev1.Pod)
	oldPod, ok2 := old.(*corev1.Pod)
	if !ok || !ok2 {
		return
	}
	pod.Status = oldPod.Status
	dropDisabledFields(pod, oldPod)
}

// ValidateUpdate checks the new pod and that only mutable fields changed.
func (s strategy) ValidateUpdate(_ context.Context, obj, old storage.Object) field.ErrorList {
	pod, ok := obj.(*corev1.Pod)
	oldPod, ok2 := old.(*corev1.Pod)
	if !ok || !ok2 {
		return wrongType(obj)
	}
	opts := optionsFor(oldPod)
	opts.allowPrivileged = s.allowPrivileged
	return validatePodUpdate(pod, oldPod, opts)
}

func wrongType(obj storage.Object) field.ErrorList {
	return field.ErrorList{field.InternalError(nil, fmt.Errorf("not a pod: %T", obj))}
}
