// Package betadocs holds the descriptions of table columns that
// upstream's printers take from the field documentation of beta API types
// (extensions/v1beta1, apps/v1beta1, autoscaling/v2beta1, batch/v1beta1,
// discovery/v1beta1, rbac/v1beta1), quoted so that the server does not link
// those packages, whose code and registrations cost resident memory, for a
// few strings. The test holds them to the types' own.
package betadocs

const (
	// ClusterRoleBindingRoleRef is rbacv1beta1.ClusterRoleBinding.roleRef.
	ClusterRoleBindingRoleRef = "RoleRef can only reference a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error."
	// ControllerRevisionRevision is appsv1beta1.ControllerRevision.revision.
	ControllerRevisionRevision = "revision indicates the revision of the state represented by Data."
	// CronJobSpecSchedule is batchv1beta1.CronJobSpec.schedule.
	CronJobSpecSchedule = "The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron."
	// CronJobSpecSuspend is batchv1beta1.CronJobSpec.suspend.
	CronJobSpecSuspend = "This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.  Defaults to false."
	// CronJobSpecTimeZone is batchv1beta1.CronJobSpec.timeZone.
	CronJobSpecTimeZone = "The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones. If not specified, this will default to the time zone of the kube-controller-manager process. The set of valid time zone names and the time zone offset is loaded from the system-wide time zone database by the API server during CronJob validation and the controller manager during execution. If no system-wide time zone database can be found a bundled version of the database is used instead. If the time zone name becomes invalid during the lifetime of a CronJob or due to a change in host configuration, the controller will stop creating new new Jobs and will create a system event with the reason UnknownTimeZone. More information can be found in https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#time-zones"
	// CronJobStatusActive is batchv1beta1.CronJobStatus.active.
	CronJobStatusActive = "A list of pointers to currently running jobs."
	// CronJobStatusLastScheduleTime is batchv1beta1.CronJobStatus.lastScheduleTime.
	CronJobStatusLastScheduleTime = "Information when was the last time the job was successfully scheduled."
	// DaemonSetSpecSelector is extensionsv1beta1.DaemonSetSpec.selector.
	DaemonSetSpecSelector = "A label query over pods that are managed by the daemon set. Must match in order to be controlled. If empty, defaulted to labels on Pod template. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors"
	// DaemonSetStatusCurrentNumberScheduled is extensionsv1beta1.DaemonSetStatus.currentNumberScheduled.
	DaemonSetStatusCurrentNumberScheduled = "The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod. More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/"
	// DaemonSetStatusDesiredNumberScheduled is extensionsv1beta1.DaemonSetStatus.desiredNumberScheduled.
	DaemonSetStatusDesiredNumberScheduled = "The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod). More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/"
	// DaemonSetStatusNumberAvailable is extensionsv1beta1.DaemonSetStatus.numberAvailable.
	DaemonSetStatusNumberAvailable = "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)"
	// DaemonSetStatusNumberReady is extensionsv1beta1.DaemonSetStatus.numberReady.
	DaemonSetStatusNumberReady = "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready."
	// DaemonSetStatusUpdatedNumberScheduled is extensionsv1beta1.DaemonSetStatus.updatedNumberScheduled.
	DaemonSetStatusUpdatedNumberScheduled = "The total number of nodes that are running updated daemon pod"
	// DeploymentSpecSelector is extensionsv1beta1.DeploymentSpec.selector.
	DeploymentSpecSelector = "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment."
	// DeploymentStatusAvailableReplicas is extensionsv1beta1.DeploymentStatus.availableReplicas.
	DeploymentStatusAvailableReplicas = "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment."
	// DeploymentStatusUpdatedReplicas is extensionsv1beta1.DeploymentStatus.updatedReplicas.
	DeploymentStatusUpdatedReplicas = "Total number of non-terminated pods targeted by this deployment that have the desired template spec."
	// EndpointSliceAddressType is discoveryv1beta1.EndpointSlice.addressType.
	EndpointSliceAddressType = "addressType specifies the type of address carried by this EndpointSlice. All addresses in this slice must be the same type. This field is immutable after creation. The following address types are currently supported: * IPv4: Represents an IPv4 Address. * IPv6: Represents an IPv6 Address. * FQDN: Represents a Fully Qualified Domain Name."
	// EndpointSliceEndpoints is discoveryv1beta1.EndpointSlice.endpoints.
	EndpointSliceEndpoints = "endpoints is a list of unique endpoints in this slice. Each slice may include a maximum of 1000 endpoints."
	// EndpointSlicePorts is discoveryv1beta1.EndpointSlice.ports.
	EndpointSlicePorts = "ports specifies the list of network ports exposed by each endpoint in this slice. Each port must have a unique name. When ports is empty, it indicates that there are no defined ports. When a port is defined with a nil port value, it indicates \"all ports\". Each slice may include a maximum of 100 ports."
	// HorizontalPodAutoscalerSpecMaxReplicas is autoscalingv2beta1.HorizontalPodAutoscalerSpec.maxReplicas.
	HorizontalPodAutoscalerSpecMaxReplicas = "maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up. It cannot be less that minReplicas."
	// HorizontalPodAutoscalerSpecMetrics is autoscalingv2beta1.HorizontalPodAutoscalerSpec.metrics.
	HorizontalPodAutoscalerSpecMetrics = "metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used).  The desired replica count is calculated multiplying the ratio between the target value and the current value by the current number of pods.  Ergo, metrics used must decrease as the pod count is increased, and vice-versa.  See the individual metric source types for more information about how each type of metric must respond."
	// HorizontalPodAutoscalerSpecMinReplicas is autoscalingv2beta1.HorizontalPodAutoscalerSpec.minReplicas.
	HorizontalPodAutoscalerSpecMinReplicas = "minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.  It defaults to 1 pod.  minReplicas is allowed to be 0 if the alpha feature gate HPAScaleToZero is enabled and at least one Object or External metric is configured.  Scaling is active as long as at least one metric value is available."
	// HorizontalPodAutoscalerSpecScaleTargetRef is autoscalingv2beta1.HorizontalPodAutoscalerSpec.scaleTargetRef.
	HorizontalPodAutoscalerSpecScaleTargetRef = "scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count."
	// HorizontalPodAutoscalerStatusCurrentReplicas is autoscalingv2beta1.HorizontalPodAutoscalerStatus.currentReplicas.
	HorizontalPodAutoscalerStatusCurrentReplicas = "currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler."
	// NetworkPolicySpecPodSelector is extensionsv1beta1.NetworkPolicySpec.podSelector.
	NetworkPolicySpecPodSelector = "Selects the pods to which this NetworkPolicy object applies.  The array of ingress rules is applied to any pods selected by this field. Multiple network policies can select the same set of pods.  In this case, the ingress rules for each are combined additively. This field is NOT optional and follows standard label selector semantics. An empty podSelector matches all pods in this namespace."
	// ReplicaSetSpecReplicas is extensionsv1beta1.ReplicaSetSpec.replicas.
	ReplicaSetSpecReplicas = "Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller"
	// ReplicaSetSpecSelector is extensionsv1beta1.ReplicaSetSpec.selector.
	ReplicaSetSpecSelector = "Selector is a label query over pods that should match the replica count. If the selector is empty, it is defaulted to the labels present on the pod template. Label keys and values that must match in order to be controlled by this replica set. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors"
	// ReplicaSetStatusReadyReplicas is extensionsv1beta1.ReplicaSetStatus.readyReplicas.
	ReplicaSetStatusReadyReplicas = "The number of ready replicas for this replica set."
	// ReplicaSetStatusReplicas is extensionsv1beta1.ReplicaSetStatus.replicas.
	ReplicaSetStatusReplicas = "Replicas is the most recently observed number of replicas. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller"
	// RoleBindingRoleRef is rbacv1beta1.RoleBinding.roleRef.
	RoleBindingRoleRef = "RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error."
)
