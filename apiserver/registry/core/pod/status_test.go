package pod

import (
	"context"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestStatusPrepareForUpdate(t *testing.T) {
	old := newPod()
	old.OwnerReferences = []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: "rs", UID: "1"}}
	old.Status.QOSClass = corev1.PodQOSBurstable
	pod := old.DeepCopy()
	pod.Spec.Containers[0].Image = "changed:1"
	pod.OwnerReferences = nil
	pod.Finalizers = []string{"example.com/keep"}
	pod.Status = corev1.PodStatus{Phase: corev1.PodRunning, PodIP: "10.0.0.7"}
	statusStrategy{}.PrepareForUpdate(context.Background(), pod, old)
	if pod.Spec.Containers[0].Image != "nginx:1.27" {
		t.Error("status update changed the spec")
	}
	if len(pod.OwnerReferences) != 1 {
		t.Error("status update changed owner references")
	}
	if len(pod.Finalizers) != 1 {
		t.Error("finalizers may change through pods/status, as upstream")
	}
	if pod.Status.Phase != corev1.PodRunning || pod.Status.QOSClass != corev1.PodQOSBurstable {
		t.Errorf("status %+v", pod.Status)
	}
}

func TestValidatePodStatusUpdate(t *testing.T) {
	tests := []struct {
		name   string
		old    func(p *corev1.Pod)
		mutate func(p *corev1.Pod)
		want   []string
	}{
		{"running", nil, func(p *corev1.Pod) {
			p.Status = corev1.PodStatus{Phase: corev1.PodRunning, PodIP: "10.0.0.1", PodIPs: []corev1.PodIP{{IP: "10.0.0.1"}, {IP: "fd00::1"}},
				HostIP: "192.168.0.1", HostIPs: []corev1.HostIP{{IP: "192.168.0.1"}},
				Conditions: []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue}, {Type: "example.com/ready", Status: corev1.ConditionTrue}}}
		}, nil},
		{"bad IPs", nil, func(p *corev1.Pod) {
			p.Status.PodIPs = []corev1.PodIP{{IP: "10.0.0.1"}, {IP: "10.0.0.2"}, {IP: "nope"}}
		}, []string{
			"status.podIPs: Internal error: failed to check for dual stack with error:invalid IP[2]: nope",
			`status.podIPs: Invalid value: []core.PodIP{`,
			`status.podIPs[2]: Invalid value: "nope": must be a valid IP address`,
		}},
		{"duplicate IPs", nil, func(p *corev1.Pod) {
			p.Status.PodIPs = []corev1.PodIP{{IP: "10.0.0.1"}, {IP: "10.0.0.1"}}
		}, []string{`status.podIPs: Invalid value: []core.PodIP{`, `status.podIPs[1]: Duplicate value: core.PodIP{IP:"10.0.0.1"}`}},
		{"condition type", nil, func(p *corev1.Pod) {
			p.Status.Conditions = []corev1.PodCondition{{Type: "bad type", Status: corev1.ConditionTrue}}
		}, []string{`metadata.conditions[0].Type: Invalid value: "bad type"`}},
		{"nominated node", nil, func(p *corev1.Pod) { p.Status.NominatedNodeName = "Node_1" },
			[]string{`status.nominatedNodeName: Invalid value: "Node_1"`}},
		{"qos class", func(p *corev1.Pod) { p.Status.QOSClass = corev1.PodQOSBurstable },
			func(p *corev1.Pod) { p.Status.QOSClass = corev1.PodQOSGuaranteed },
			[]string{`status.qosClass: Invalid value: "Guaranteed": field is immutable`}},
		{"terminated container restarts under Never", func(p *corev1.Pod) {
			p.Spec.RestartPolicy = corev1.RestartPolicyNever
			p.Status.ContainerStatuses = []corev1.ContainerStatus{{Name: "app", State: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: 1}}}}
		}, func(p *corev1.Pod) {
			p.Status.ContainerStatuses[0].State = corev1.ContainerState{Running: &corev1.ContainerStateRunning{}}
		}, []string{"status.containerStatuses[0].state: Forbidden: may not be transitioned to non-terminated state"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old := newPod()
			if tt.old != nil {
				tt.old(old)
			}
			pod := old.DeepCopy()
			tt.mutate(pod)
			defaultPod(pod)
			expectErrors(t, statusStrategy{}.ValidateUpdate(context.Background(), pod, old), tt.want...)
		})
	}
}

func TestStatusNodeNameChange(t *testing.T) {
	old := newPod()
	pod := old.DeepCopy()
	pod.Spec.NodeName = "n1"
	expectErrors(t, validatePodStatusUpdate(pod, old, options{}), "status.nodeName: Forbidden: may not be changed directly")
}
