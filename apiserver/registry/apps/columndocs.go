package apps

// Column descriptions of this package's tables: upstream's printers take
// them from the field documentation of the beta API types, quoted here so
// that the server does not link those packages (their code and
// registrations cost resident memory) for a few strings.
const (
	// appsv1beta1.ControllerRevision.revision
	docControllerRevisionRevision = "revision indicates the revision of the state represented by Data."
	// extensionsv1beta1.DaemonSetSpec.selector
	docDaemonSetSpecSelector = "A label query over pods that are managed by the daemon set. Must match in order to be controlled. If empty, defaulted to labels on Pod template. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors"
	// extensionsv1beta1.DaemonSetStatus.currentNumberScheduled
	docDaemonSetStatusCurrentNumberScheduled = "The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod. More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/"
	// extensionsv1beta1.DaemonSetStatus.desiredNumberScheduled
	docDaemonSetStatusDesiredNumberScheduled = "The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod). More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/"
	// extensionsv1beta1.DaemonSetStatus.numberAvailable
	docDaemonSetStatusNumberAvailable = "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)"
	// extensionsv1beta1.DaemonSetStatus.numberReady
	docDaemonSetStatusNumberReady = "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready."
	// extensionsv1beta1.DaemonSetStatus.updatedNumberScheduled
	docDaemonSetStatusUpdatedNumberScheduled = "The total number of nodes that are running updated daemon pod"
	// extensionsv1beta1.DeploymentSpec.selector
	docDeploymentSpecSelector = "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment."
	// extensionsv1beta1.DeploymentStatus.availableReplicas
	docDeploymentStatusAvailableReplicas = "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment."
	// extensionsv1beta1.DeploymentStatus.updatedReplicas
	docDeploymentStatusUpdatedReplicas = "Total number of non-terminated pods targeted by this deployment that have the desired template spec."
	// extensionsv1beta1.ReplicaSetSpec.replicas
	docReplicaSetSpecReplicas = "Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller"
	// extensionsv1beta1.ReplicaSetSpec.selector
	docReplicaSetSpecSelector = "Selector is a label query over pods that should match the replica count. If the selector is empty, it is defaulted to the labels present on the pod template. Label keys and values that must match in order to be controlled by this replica set. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors"
	// extensionsv1beta1.ReplicaSetStatus.readyReplicas
	docReplicaSetStatusReadyReplicas = "The number of ready replicas for this replica set."
	// extensionsv1beta1.ReplicaSetStatus.replicas
	docReplicaSetStatusReplicas = "Replicas is the most recently observed number of replicas. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller"
)
