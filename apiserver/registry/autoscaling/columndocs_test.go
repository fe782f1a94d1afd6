package autoscaling

import (
	"testing"

	autoscalingv2beta1 "k8s.io/api/autoscaling/v2beta1"
)

// TestColumnDocsAreUpstreams: the quoted descriptions are the beta types' own.
func TestColumnDocsAreUpstreams(t *testing.T) {
	for got, want := range map[string]string{
		docHorizontalPodAutoscalerSpecMaxReplicas:       autoscalingv2beta1.HorizontalPodAutoscalerSpec{}.SwaggerDoc()["maxReplicas"],
		docHorizontalPodAutoscalerSpecMetrics:           autoscalingv2beta1.HorizontalPodAutoscalerSpec{}.SwaggerDoc()["metrics"],
		docHorizontalPodAutoscalerSpecMinReplicas:       autoscalingv2beta1.HorizontalPodAutoscalerSpec{}.SwaggerDoc()["minReplicas"],
		docHorizontalPodAutoscalerSpecScaleTargetRef:    autoscalingv2beta1.HorizontalPodAutoscalerSpec{}.SwaggerDoc()["scaleTargetRef"],
		docHorizontalPodAutoscalerStatusCurrentReplicas: autoscalingv2beta1.HorizontalPodAutoscalerStatus{}.SwaggerDoc()["currentReplicas"],
	} {
		if got != want {
			t.Errorf("description %q, upstream's %q", got, want)
		}
	}
}
