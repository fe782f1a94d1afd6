package apps

import (
	"testing"

	appsv1beta1 "k8s.io/api/apps/v1beta1"
	extensionsv1beta1 "k8s.io/api/extensions/v1beta1"
)

// TestColumnDocsAreUpstreams: the quoted descriptions are the beta types' own.
func TestColumnDocsAreUpstreams(t *testing.T) {
	for got, want := range map[string]string{
		docControllerRevisionRevision:            appsv1beta1.ControllerRevision{}.SwaggerDoc()["revision"],
		docDaemonSetSpecSelector:                 extensionsv1beta1.DaemonSetSpec{}.SwaggerDoc()["selector"],
		docDaemonSetStatusCurrentNumberScheduled: extensionsv1beta1.DaemonSetStatus{}.SwaggerDoc()["currentNumberScheduled"],
		docDaemonSetStatusDesiredNumberScheduled: extensionsv1beta1.DaemonSetStatus{}.SwaggerDoc()["desiredNumberScheduled"],
		docDaemonSetStatusNumberAvailable:        extensionsv1beta1.DaemonSetStatus{}.SwaggerDoc()["numberAvailable"],
		docDaemonSetStatusNumberReady:            extensionsv1beta1.DaemonSetStatus{}.SwaggerDoc()["numberReady"],
		docDaemonSetStatusUpdatedNumberScheduled: extensionsv1beta1.DaemonSetStatus{}.SwaggerDoc()["updatedNumberScheduled"],
		docDeploymentSpecSelector:                extensionsv1beta1.DeploymentSpec{}.SwaggerDoc()["selector"],
		docDeploymentStatusAvailableReplicas:     extensionsv1beta1.DeploymentStatus{}.SwaggerDoc()["availableReplicas"],
		docDeploymentStatusUpdatedReplicas:       extensionsv1beta1.DeploymentStatus{}.SwaggerDoc()["updatedReplicas"],
		docReplicaSetSpecReplicas:                extensionsv1beta1.ReplicaSetSpec{}.SwaggerDoc()["replicas"],
		docReplicaSetSpecSelector:                extensionsv1beta1.ReplicaSetSpec{}.SwaggerDoc()["selector"],
		docReplicaSetStatusReadyReplicas:         extensionsv1beta1.ReplicaSetStatus{}.SwaggerDoc()["readyReplicas"],
		docReplicaSetStatusReplicas:              extensionsv1beta1.ReplicaSetStatus{}.SwaggerDoc()["replicas"],
	} {
		if got != want {
			t.Errorf("description %q, upstream's %q", got, want)
		}
	}
}
