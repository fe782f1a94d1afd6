package betadocs

import (
	"testing"

	appsv1beta1 "k8s.io/api/apps/v1beta1"
	autoscalingv2beta1 "k8s.io/api/autoscaling/v2beta1"
	batchv1beta1 "k8s.io/api/batch/v1beta1"
	discoveryv1beta1 "k8s.io/api/discovery/v1beta1"
	extensionsv1beta1 "k8s.io/api/extensions/v1beta1"
	rbacv1beta1 "k8s.io/api/rbac/v1beta1"
)

func TestDescriptionsAreUpstreams(t *testing.T) {
	for got, want := range map[string]string{
		ClusterRoleBindingRoleRef:                    rbacv1beta1.ClusterRoleBinding{}.SwaggerDoc()["roleRef"],
		ControllerRevisionRevision:                   appsv1beta1.ControllerRevision{}.SwaggerDoc()["revision"],
		CronJobSpecSchedule:                          batchv1beta1.CronJobSpec{}.SwaggerDoc()["schedule"],
		CronJobSpecSuspend:                           batchv1beta1.CronJobSpec{}.SwaggerDoc()["suspend"],
		CronJobSpecTimeZone:                          batchv1beta1.CronJobSpec{}.SwaggerDoc()["timeZone"],
		CronJobStatusActive:                          batchv1beta1.CronJobStatus{}.SwaggerDoc()["active"],
		CronJobStatusLastScheduleTime:                batchv1beta1.CronJobStatus{}.SwaggerDoc()["lastScheduleTime"],
		DaemonSetSpecSelector:                        extensionsv1beta1.DaemonSetSpec{}.SwaggerDoc()["selector"],
		DaemonSetStatusCurrentNumberScheduled:        extensionsv1beta1.DaemonSetStatus{}.SwaggerDoc()["currentNumberScheduled"],
		DaemonSetStatusDesiredNumberScheduled:        extensionsv1beta1.DaemonSetStatus{}.SwaggerDoc()["desiredNumberScheduled"],
		DaemonSetStatusNumberAvailable:               extensionsv1beta1.DaemonSetStatus{}.SwaggerDoc()["numberAvailable"],
		DaemonSetStatusNumberReady:                   extensionsv1beta1.DaemonSetStatus{}.SwaggerDoc()["numberReady"],
		DaemonSetStatusUpdatedNumberScheduled:        extensionsv1beta1.DaemonSetStatus{}.SwaggerDoc()["updatedNumberScheduled"],
		DeploymentSpecSelector:                       extensionsv1beta1.DeploymentSpec{}.SwaggerDoc()["selector"],
		DeploymentStatusAvailableReplicas:            extensionsv1beta1.DeploymentStatus{}.SwaggerDoc()["availableReplicas"],
		DeploymentStatusUpdatedReplicas:              extensionsv1beta1.DeploymentStatus{}.SwaggerDoc()["updatedReplicas"],
		EndpointSliceAddressType:                     discoveryv1beta1.EndpointSlice{}.SwaggerDoc()["addressType"],
		EndpointSliceEndpoints:                       discoveryv1beta1.EndpointSlice{}.SwaggerDoc()["endpoints"],
		EndpointSlicePorts:                           discoveryv1beta1.EndpointSlice{}.SwaggerDoc()["ports"],
		HorizontalPodAutoscalerSpecMaxReplicas:       autoscalingv2beta1.HorizontalPodAutoscalerSpec{}.SwaggerDoc()["maxReplicas"],
		HorizontalPodAutoscalerSpecMetrics:           autoscalingv2beta1.HorizontalPodAutoscalerSpec{}.SwaggerDoc()["metrics"],
		HorizontalPodAutoscalerSpecMinReplicas:       autoscalingv2beta1.HorizontalPodAutoscalerSpec{}.SwaggerDoc()["minReplicas"],
		HorizontalPodAutoscalerSpecScaleTargetRef:    autoscalingv2beta1.HorizontalPodAutoscalerSpec{}.SwaggerDoc()["scaleTargetRef"],
		HorizontalPodAutoscalerStatusCurrentReplicas: autoscalingv2beta1.HorizontalPodAutoscalerStatus{}.SwaggerDoc()["currentReplicas"],
		NetworkPolicySpecPodSelector:                 extensionsv1beta1.NetworkPolicySpec{}.SwaggerDoc()["podSelector"],
		ReplicaSetSpecReplicas:                       extensionsv1beta1.ReplicaSetSpec{}.SwaggerDoc()["replicas"],
		ReplicaSetSpecSelector:                       extensionsv1beta1.ReplicaSetSpec{}.SwaggerDoc()["selector"],
		ReplicaSetStatusReadyReplicas:                extensionsv1beta1.ReplicaSetStatus{}.SwaggerDoc()["readyReplicas"],
		ReplicaSetStatusReplicas:                     extensionsv1beta1.ReplicaSetStatus{}.SwaggerDoc()["replicas"],
		RoleBindingRoleRef:                           rbacv1beta1.RoleBinding{}.SwaggerDoc()["roleRef"],
	} {
		if got != want {
			t.Errorf("description %q, upstream's %q", got, want)
		}
	}
}
