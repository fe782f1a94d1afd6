// Package autoscaling holds the rules of autoscaling/v2
// HorizontalPodAutoscalers: upstream's defaults (minReplicas, the CPU
// target, scaling behavior), validation, status subresource and kubectl
// table. autoscaling/v1 is not served: it shares the storage and needs a
// conversion the registry does not have yet.
package autoscaling
