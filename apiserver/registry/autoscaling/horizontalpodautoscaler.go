package autoscaling

import (
	"context"
	"fmt"
	"time"

	autoscalingv2 "k8s.io/api/autoscaling/v2"
	apimachineryvalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/registry/betadocs"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

// Resources lists the autoscaling resources this package serves: v2 only.
func Resources() []*registry.Resource {
	v2 := hpaResource(time.Now)
	return []*registry.Resource{v2, v1Resource(v2)}
}

func hpaResource(now func() time.Time) *registry.Resource {
	return &registry.Resource{
		GVR:           autoscalingv2.SchemeGroupVersion.WithResource("horizontalpodautoscalers"),
		Kind:          "HorizontalPodAutoscaler",
		SingularName:  "horizontalpodautoscaler",
		Namespaced:    true,
		ShortNames:    []string{"hpa"},
		Categories:    []string{"all"},
		StoragePrefix: "horizontalpodautoscalers",
		New:           func() storage.Object { return &autoscalingv2.HorizontalPodAutoscaler{} },
		NewList:       func() runtime.Object { return &autoscalingv2.HorizontalPodAutoscalerList{} },
		Strategy:      strategy{},
		Status:        statusStrategy{},
		Table:         table(now),
	}
}

// strategy: status is the autoscaler's. Upstream does not track the
// generation of autoscalers.
type strategy struct{ registry.Plain }

func (strategy) Default(obj storage.Object) { defaultHPA(obj.(*autoscalingv2.HorizontalPodAutoscaler)) }

func (strategy) PrepareForCreate(_ context.Context, obj storage.Object) { registry.ResetStatus(obj) }

func (strategy) PrepareForUpdate(_ context.Context, obj, old storage.Object) {
	registry.KeepStatus(obj, old)
}

func (strategy) Validate(_ context.Context, obj storage.Object) field.ErrorList {
	return validateSpec(&obj.(*autoscalingv2.HorizontalPodAutoscaler).Spec, field.NewPath("spec"))
}

func (strategy) ValidateUpdate(_ context.Context, obj, _ storage.Object) field.ErrorList {
	return validateSpec(&obj.(*autoscalingv2.HorizontalPodAutoscaler).Spec, field.NewPath("spec"))
}

type statusStrategy struct{ registry.StatusOnly }

func (statusStrategy) ValidateUpdate(_ context.Context, obj, _ storage.Object) field.ErrorList {
	st := &obj.(*autoscalingv2.HorizontalPodAutoscaler).Status
	errs := apimachineryvalidation.ValidateNonnegativeField(int64(st.CurrentReplicas), field.NewPath("status", "currentReplicas"))
	return append(errs, apimachineryvalidation.ValidateNonnegativeField(int64(st.DesiredReplicas), field.NewPath("status", "desiredReplicas"))...)
}

var columns = []metav1.TableColumnDefinition{
	registry.NameColumn,
	{Name: "Reference", Type: "string", Description: betadocs.HorizontalPodAutoscalerSpecScaleTargetRef},
	{Name: "Targets", Type: "string", Description: betadocs.HorizontalPodAutoscalerSpecMetrics},
	{Name: "MinPods", Type: "string", Description: betadocs.HorizontalPodAutoscalerSpecMinReplicas},
	{Name: "MaxPods", Type: "string", Description: betadocs.HorizontalPodAutoscalerSpecMaxReplicas},
	{Name: "Replicas", Type: "string", Description: betadocs.HorizontalPodAutoscalerStatusCurrentReplicas},
	registry.AgeColumn,
}

func table(now func() time.Time) registry.TableFunc {
	return registry.Rows(columns, now, hpaRow)
}

func hpaRow(obj storage.Object, now time.Time) ([]any, error) {
	hpa := obj.(*autoscalingv2.HorizontalPodAutoscaler)
	ref := hpa.Spec.ScaleTargetRef.Kind + "/" + hpa.Spec.ScaleTargetRef.Name
	minPods := "<unset>"
	if hpa.Spec.MinReplicas != nil {
		minPods = fmt.Sprintf("%d", *hpa.Spec.MinReplicas)
	}
	return []any{hpa.Name, ref, formatMetrics(hpa.Spec.Metrics, hpa.Status.CurrentMetrics), minPods,
		int64(hpa.Spec.MaxReplicas), int64(hpa.Status.CurrentReplicas), registry.Age(hpa.CreationTimestamp, now)}, nil
}
