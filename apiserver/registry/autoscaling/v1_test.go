package autoscaling

import (
	"context"
	"reflect"
	"testing"
	"time"

	autoscalingv1 "k8s.io/api/autoscaling/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func int32p(v int32) *int32 { return &v }

func TestV1ConversionKeepsWhatV1CannotSay(t *testing.T) {
	q := resource.MustParse("100")
	v2 := &autoscalingv2.HorizontalPodAutoscaler{
		TypeMeta:   metav1.TypeMeta{APIVersion: "autoscaling/v2", Kind: "HorizontalPodAutoscaler"},
		ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "ns", Annotations: map[string]string{"keep": "me"}},
		Spec: autoscalingv2.HorizontalPodAutoscalerSpec{
			ScaleTargetRef: autoscalingv2.CrossVersionObjectReference{Kind: "Deployment", Name: "web", APIVersion: "apps/v1"},
			MinReplicas:    int32p(2), MaxReplicas: 10,
			Metrics: []autoscalingv2.MetricSpec{
				{Type: autoscalingv2.ResourceMetricSourceType, Resource: &autoscalingv2.ResourceMetricSource{Name: corev1.ResourceCPU,
					Target: autoscalingv2.MetricTarget{Type: autoscalingv2.UtilizationMetricType, AverageUtilization: int32p(70)}}},
				{Type: autoscalingv2.PodsMetricSourceType, Pods: &autoscalingv2.PodsMetricSource{Metric: autoscalingv2.MetricIdentifier{Name: "qps"},
					Target: autoscalingv2.MetricTarget{Type: autoscalingv2.AverageValueMetricType, AverageValue: &q}}},
			},
		},
	}
	v1 := v2ToV1(v2).(*autoscalingv1.HorizontalPodAutoscaler)
	if v1.Spec.TargetCPUUtilizationPercentage == nil || *v1.Spec.TargetCPUUtilizationPercentage != 70 || v1.Spec.MaxReplicas != 10 {
		t.Errorf("v1 view: %+v", v1.Spec)
	}
	if _, ok := v1.Annotations[metricsAnnotation]; !ok {
		t.Errorf("the pods metric is not kept: %v", v1.Annotations)
	}
	back := v1ToV2(v1).(*autoscalingv2.HorizontalPodAutoscaler)
	if !reflect.DeepEqual(back.Spec, v2.Spec) || back.Annotations["keep"] != "me" || len(back.Annotations) != 1 {
		t.Errorf("round trip:\n got %+v %v\nwant %+v", back.Spec, back.Annotations, v2.Spec)
	}
}

func TestV1ResourceDefaultsAndValidatesThroughV2(t *testing.T) {
	res := v1Resource(hpaResource(time.Now))
	hpa := &autoscalingv1.HorizontalPodAutoscaler{ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "ns"},
		Spec: autoscalingv1.HorizontalPodAutoscalerSpec{ScaleTargetRef: autoscalingv1.CrossVersionObjectReference{Kind: "Deployment", Name: "web"}, MaxReplicas: 3}}
	res.Strategy.Default(hpa)
	if hpa.Spec.MinReplicas == nil || *hpa.Spec.MinReplicas != 1 || hpa.Spec.TargetCPUUtilizationPercentage == nil || *hpa.Spec.TargetCPUUtilizationPercentage != 80 {
		t.Errorf("defaults through v2: %+v", hpa.Spec)
	}
	hpa.Spec.MaxReplicas = 0
	if errs := res.Strategy.Validate(context.Background(), hpa); len(errs) == 0 {
		t.Error("maxReplicas 0 must be invalid")
	}
}
