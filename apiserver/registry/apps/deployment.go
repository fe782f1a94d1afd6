package apps

import (
	"context"
	"fmt"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	apimachineryvalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/registry/betadocs"
	"github.com/skiff-dev/skiff/apiserver/registry/core/pod"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

func deploymentResource(now func() time.Time) *registry.Resource {
	return &registry.Resource{
		GVR:           appsv1.SchemeGroupVersion.WithResource("deployments"),
		Kind:          "Deployment",
		SingularName:  "deployment",
		Namespaced:    true,
		ShortNames:    []string{"deploy"},
		Categories:    []string{"all"},
		StoragePrefix: "deployments",
		New:           func() storage.Object { return &appsv1.Deployment{} },
		NewList:       func() runtime.Object { return &appsv1.DeploymentList{} },
		Strategy:      deploymentStrategy{},
		Status:        deploymentStatusStrategy{},
		Table:         deploymentTable(now),
	}
}

// deploymentStrategy: status is the controller's, generation moves with
// the spec and the annotations (they are copied to replica sets), and the
// selector is immutable in apps/v1.
type deploymentStrategy struct{}

func (deploymentStrategy) Default(obj storage.Object) { defaultDeployment(obj.(*appsv1.Deployment)) }

func (deploymentStrategy) PrepareForCreate(_ context.Context, obj storage.Object) {
	d := obj.(*appsv1.Deployment)
	d.Status = appsv1.DeploymentStatus{}
	d.Generation = 1
}

func (deploymentStrategy) Validate(_ context.Context, obj storage.Object) field.ErrorList {
	return validateDeploymentSpec(&obj.(*appsv1.Deployment).Spec, field.NewPath("spec"))
}

func (deploymentStrategy) PrepareForUpdate(_ context.Context, obj, old storage.Object) {
	d, o := obj.(*appsv1.Deployment), old.(*appsv1.Deployment)
	d.Status = o.Status
	if !apiequality.Semantic.DeepEqual(d.Spec, o.Spec) || !apiequality.Semantic.DeepEqual(d.Annotations, o.Annotations) {
		d.Generation = o.Generation + 1
	}
}

func (deploymentStrategy) ValidateUpdate(_ context.Context, obj, old storage.Object) field.ErrorList {
	d, o := obj.(*appsv1.Deployment), old.(*appsv1.Deployment)
	errs := validateDeploymentSpec(&d.Spec, field.NewPath("spec"))
	return append(errs, apimachineryvalidation.ValidateImmutableField(d.Spec.Selector, o.Spec.Selector, field.NewPath("spec", "selector"))...)
}

// deploymentStatusStrategy keeps the spec and the labels.
type deploymentStatusStrategy struct{ registry.StatusOnly }

func (s deploymentStatusStrategy) PrepareForUpdate(ctx context.Context, obj, old storage.Object) {
	s.StatusOnly.PrepareForUpdate(ctx, obj, old)
	obj.SetLabels(old.GetLabels())
}

func (deploymentStatusStrategy) ValidateUpdate(_ context.Context, obj, old storage.Object) field.ErrorList {
	d, o := obj.(*appsv1.Deployment), old.(*appsv1.Deployment)
	fldPath := field.NewPath("status")
	errs := validateDeploymentStatus(&d.Status, fldPath)
	return append(errs, validateCollisionCount(d.Status.CollisionCount, o.Status.CollisionCount, fldPath.Child("collisionCount"))...)
}

// defaultDeployment is upstream's SetDefaults_Deployment plus the pod
// template's defaults.
func defaultDeployment(d *appsv1.Deployment) {
	if d.Spec.Replicas == nil {
		d.Spec.Replicas = int32Ptr(1)
	}
	s := &d.Spec.Strategy
	if s.Type == "" {
		s.Type = appsv1.RollingUpdateDeploymentStrategyType
	}
	if s.Type == appsv1.RollingUpdateDeploymentStrategyType {
		if s.RollingUpdate == nil {
			s.RollingUpdate = &appsv1.RollingUpdateDeployment{}
		}
		if s.RollingUpdate.MaxUnavailable == nil {
			v := intstr.FromString("25%")
			s.RollingUpdate.MaxUnavailable = &v
		}
		if s.RollingUpdate.MaxSurge == nil {
			v := intstr.FromString("25%")
			s.RollingUpdate.MaxSurge = &v
		}
	}
	if d.Spec.RevisionHistoryLimit == nil {
		d.Spec.RevisionHistoryLimit = int32Ptr(10)
	}
	if d.Spec.ProgressDeadlineSeconds == nil {
		d.Spec.ProgressDeadlineSeconds = int32Ptr(600)
	}
	pod.DefaultPodSpec(&d.Spec.Template.Spec)
}

var deploymentColumns = []metav1.TableColumnDefinition{
	registry.NameColumn,
	{Name: "Ready", Type: "string", Description: "Number of the pod with ready state"},
	{Name: "Up-to-date", Type: "string", Description: betadocs.DeploymentStatusUpdatedReplicas},
	{Name: "Available", Type: "string", Description: betadocs.DeploymentStatusAvailableReplicas},
	registry.AgeColumn,
	registry.ContainersColumn,
	registry.ImagesColumn,
	{Name: "Selector", Type: "string", Priority: 1, Description: betadocs.DeploymentSpecSelector},
}

func deploymentTable(now func() time.Time) registry.TableFunc {
	return registry.Rows(deploymentColumns, now, deploymentRow)
}

func deploymentRow(obj storage.Object, now time.Time) ([]any, error) {
	d := obj.(*appsv1.Deployment)
	selector := "<invalid>"
	if s, err := metav1.LabelSelectorAsSelector(d.Spec.Selector); err == nil {
		selector = s.String()
	}
	names, images := registry.ContainerCells(d.Spec.Template.Spec.Containers)
	return []any{d.Name,
		fmt.Sprintf("%d/%d", int64(d.Status.ReadyReplicas), int64(int32Value(d.Spec.Replicas))),
		int64(d.Status.UpdatedReplicas), int64(d.Status.AvailableReplicas),
		registry.Age(d.CreationTimestamp, now),
		names, images, selector}, nil
}
