package autoscaling

import (
	"encoding/json"
	"maps"

	autoscalingv1 "k8s.io/api/autoscaling/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

// What autoscaling/v1 cannot say is kept in annotations of the v1 object,
// as JSON of the autoscaling/v2 fields. Upstream keeps such fields in
// "autoscaling.alpha.kubernetes.io/*" annotations in autoscaling/v1's own
// MetricSpec format; skiff's differ, so they carry skiff's names.
const (
	metricsAnnotation        = "autoscaling.skiff.dev/v2-metrics"
	behaviorAnnotation       = "autoscaling.skiff.dev/v2-behavior"
	currentMetricsAnnotation = "autoscaling.skiff.dev/v2-current-metrics"
	conditionsAnnotation     = "autoscaling.skiff.dev/v2-conditions"
)

// v1Resource serves the v2 HorizontalPodAutoscalers as autoscaling/v1.
func v1Resource(v2 *registry.Resource) *registry.Resource {
	return registry.ServeAs(v2, registry.ServedVersion{
		GVR:        autoscalingv1.SchemeGroupVersion.WithResource("horizontalpodautoscalers"),
		New:        func() storage.Object { return &autoscalingv1.HorizontalPodAutoscaler{} },
		NewList:    func() runtime.Object { return &autoscalingv1.HorizontalPodAutoscalerList{} },
		ToStored:   v1ToV2,
		FromStored: v2ToV1,
	})
}

func isCPUUtilization(m autoscalingv2.MetricSpec) bool {
	return m.Type == autoscalingv2.ResourceMetricSourceType && m.Resource != nil && m.Resource.Name == corev1.ResourceCPU &&
		m.Resource.Target.Type == autoscalingv2.UtilizationMetricType && m.Resource.Target.AverageUtilization != nil
}

func v2ToV1(obj storage.Object) storage.Object {
	in, ok := obj.(*autoscalingv2.HorizontalPodAutoscaler)
	if !ok {
		return obj
	}
	out := &autoscalingv1.HorizontalPodAutoscaler{ObjectMeta: *in.ObjectMeta.DeepCopy()}
	out.APIVersion, out.Kind = autoscalingv1.SchemeGroupVersion.String(), "HorizontalPodAutoscaler"
	out.Spec.ScaleTargetRef = autoscalingv1.CrossVersionObjectReference(in.Spec.ScaleTargetRef)
	out.Spec.MinReplicas, out.Spec.MaxReplicas = in.Spec.MinReplicas, in.Spec.MaxReplicas
	var other []autoscalingv2.MetricSpec
	for _, m := range in.Spec.Metrics {
		if isCPUUtilization(m) && out.Spec.TargetCPUUtilizationPercentage == nil {
			v := *m.Resource.Target.AverageUtilization
			out.Spec.TargetCPUUtilizationPercentage = &v
			continue
		}
		other = append(other, m)
	}
	annotate(&out.ObjectMeta.Annotations, metricsAnnotation, other, len(other) > 0)
	annotate(&out.ObjectMeta.Annotations, behaviorAnnotation, in.Spec.Behavior, in.Spec.Behavior != nil)
	s := in.Status
	out.Status = autoscalingv1.HorizontalPodAutoscalerStatus{
		ObservedGeneration: s.ObservedGeneration, LastScaleTime: s.LastScaleTime,
		CurrentReplicas: s.CurrentReplicas, DesiredReplicas: s.DesiredReplicas,
	}
	for _, m := range s.CurrentMetrics {
		if m.Type == autoscalingv2.ResourceMetricSourceType && m.Resource != nil && m.Resource.Name == corev1.ResourceCPU && m.Resource.Current.AverageUtilization != nil {
			v := *m.Resource.Current.AverageUtilization
			out.Status.CurrentCPUUtilizationPercentage = &v
		}
	}
	annotate(&out.ObjectMeta.Annotations, currentMetricsAnnotation, s.CurrentMetrics, len(s.CurrentMetrics) > 0)
	annotate(&out.ObjectMeta.Annotations, conditionsAnnotation, s.Conditions, len(s.Conditions) > 0)
	return out
}

func v1ToV2(obj storage.Object) storage.Object {
	in, ok := obj.(*autoscalingv1.HorizontalPodAutoscaler)
	if !ok {
		return obj
	}
	out := &autoscalingv2.HorizontalPodAutoscaler{ObjectMeta: *in.ObjectMeta.DeepCopy()}
	out.APIVersion, out.Kind = autoscalingv2.SchemeGroupVersion.String(), "HorizontalPodAutoscaler"
	ann := out.ObjectMeta.Annotations
	out.Spec.ScaleTargetRef = autoscalingv2.CrossVersionObjectReference(in.Spec.ScaleTargetRef)
	out.Spec.MinReplicas, out.Spec.MaxReplicas = in.Spec.MinReplicas, in.Spec.MaxReplicas
	if t := in.Spec.TargetCPUUtilizationPercentage; t != nil {
		v := *t
		out.Spec.Metrics = append(out.Spec.Metrics, autoscalingv2.MetricSpec{Type: autoscalingv2.ResourceMetricSourceType,
			Resource: &autoscalingv2.ResourceMetricSource{Name: corev1.ResourceCPU,
				Target: autoscalingv2.MetricTarget{Type: autoscalingv2.UtilizationMetricType, AverageUtilization: &v}}})
	}
	var other []autoscalingv2.MetricSpec
	unannotate(ann, metricsAnnotation, &other)
	out.Spec.Metrics = append(out.Spec.Metrics, other...)
	unannotate(ann, behaviorAnnotation, &out.Spec.Behavior)
	s := in.Status
	out.Status = autoscalingv2.HorizontalPodAutoscalerStatus{
		ObservedGeneration: s.ObservedGeneration, LastScaleTime: s.LastScaleTime,
		CurrentReplicas: s.CurrentReplicas, DesiredReplicas: s.DesiredReplicas,
	}
	unannotate(ann, currentMetricsAnnotation, &out.Status.CurrentMetrics)
	unannotate(ann, conditionsAnnotation, &out.Status.Conditions)
	if len(ann) == 0 {
		out.ObjectMeta.Annotations = nil
	}
	return out
}

func annotate(ann *map[string]string, key string, v any, present bool) {
	if !present {
		return
	}
	b, err := json.Marshal(v)
	if err != nil {
		return
	}
	if *ann == nil {
		*ann = map[string]string{}
	} else {
		*ann = maps.Clone(*ann)
	}
	(*ann)[key] = string(b)
}

// unannotate decodes and removes key from ann (a copy owned by the caller).
func unannotate(ann map[string]string, key string, into any) {
	v, ok := ann[key]
	if !ok {
		return
	}
	_ = json.Unmarshal([]byte(v), into)
	delete(ann, key)
}
