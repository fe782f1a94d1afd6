package autoscaling

// Column descriptions of this package's tables: upstream's printers take
// them from the field documentation of the beta API types, quoted here so
// that the server does not link those packages (their code and
// registrations cost resident memory) for a few strings.
const (
	// autoscalingv2beta1.HorizontalPodAutoscalerSpec.maxReplicas
	docHorizontalPodAutoscalerSpecMaxReplicas = "maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up. It cannot be less that minReplicas."
	// autoscalingv2beta1.HorizontalPodAutoscalerSpec.metrics
	docHorizontalPodAutoscalerSpecMetrics = "metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used).  The desired replica count is calculated multiplying the ratio between the target value and the current value by the current number of pods.  Ergo, metrics used must decrease as the pod count is increased, and vice-versa.  See the individual metric source types for more information about how each type of metric must respond."
	// autoscalingv2beta1.HorizontalPodAutoscalerSpec.minReplicas
	docHorizontalPodAutoscalerSpecMinReplicas = "minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.  It defaults to 1 pod.  minReplicas is allowed to be 0 if the alpha feature gate HPAScaleToZero is enabled and at least one Object or External metric is configured.  Scaling is active as long as at least one metric value is available."
	// autoscalingv2beta1.HorizontalPodAutoscalerSpec.scaleTargetRef
	docHorizontalPodAutoscalerSpecScaleTargetRef = "scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count."
	// autoscalingv2beta1.HorizontalPodAutoscalerStatus.currentReplicas
	docHorizontalPodAutoscalerStatusCurrentReplicas = "currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler."
)
