package core

import (
	"context"
	"time"

	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/registry/core/pod"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

func podTemplatesResource() *registry.Resource {
	return &registry.Resource{
		GVR:           gvr("podtemplates"),
		Kind:          "PodTemplate",
		SingularName:  "podtemplate",
		Namespaced:    true,
		StoragePrefix: "podtemplates",
		New:           func() storage.Object { return &corev1.PodTemplate{} },
		NewList:       func() runtime.Object { return &corev1.PodTemplateList{} },
		Strategy:      podTemplateStrategy{},
		Table:         registry.Rows(podTemplateColumns, time.Now, podTemplateRow),
	}
}

// podTemplateStrategy: the template is a pod's, defaulted and validated by
// package pod; the generation moves with the template.
type podTemplateStrategy struct{}

// Default applies the pod spec defaults.
func (podTemplateStrategy) Default(obj storage.Object) {
	if t, ok := obj.(*corev1.PodTemplate); ok {
		pod.DefaultPodSpec(&t.Template.Spec)
	}
}

// PrepareForCreate starts the generation.
func (podTemplateStrategy) PrepareForCreate(_ context.Context, obj storage.Object) {
	obj.SetGeneration(1)
}

// Validate checks the template.
func (podTemplateStrategy) Validate(_ context.Context, obj storage.Object) field.ErrorList {
	t, ok := obj.(*corev1.PodTemplate)
	if !ok {
		return wrongType(obj)
	}
	return pod.ValidatePodTemplateSpec(&t.Template, field.NewPath("template"))
}

// PrepareForUpdate bumps the generation when the template changed (a
// pod template has no spec for the registry to compare).
func (podTemplateStrategy) PrepareForUpdate(_ context.Context, obj, old storage.Object) {
	t, ok1 := obj.(*corev1.PodTemplate)
	oldT, ok2 := old.(*corev1.PodTemplate)
	if !ok1 || !ok2 {
		return
	}
	if !apiequality.Semantic.DeepEqual(t.Template, oldT.Template) {
		t.Generation = oldT.Generation + 1
	}
}

// ValidateUpdate checks the template as on create.
func (s podTemplateStrategy) ValidateUpdate(ctx context.Context, obj, _ storage.Object) field.ErrorList {
	return s.Validate(ctx, obj)
}

var podTemplateColumns = []metav1.TableColumnDefinition{
	registry.NameColumn,
	{Name: "Containers", Type: "string", Description: "Names of each container in the template."},
	{Name: "Images", Type: "string", Description: "Images referenced by each container in the template."},
	{Name: "Pod Labels", Type: "string", Description: "The labels for the pod template."},
}

func podTemplateRow(obj storage.Object, _ time.Time) ([]any, error) {
	t, ok := obj.(*corev1.PodTemplate)
	if !ok {
		return nil, unexpectedType(obj)
	}
	names, images := registry.ContainerCells(t.Template.Spec.Containers)
	return []any{t.Name, names, images, labels.FormatLabels(t.Template.Labels)}, nil
}
