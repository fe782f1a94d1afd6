package pod

import (
	"context"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestValidatePodUpdate(t *testing.T) {
	tests := []struct {
		name   string
		old    func(p *corev1.Pod)
		mutate func(p *corev1.Pod)
		want   []string
	}{
		{"image change", nil, func(p *corev1.Pod) { p.Spec.Containers[0].Image = "nginx:1.28" }, nil},
		// Reported by spec validation and by the update rules, as upstream (the
		// Status message deduplicates).
		{"image removed", nil, func(p *corev1.Pod) { p.Spec.Containers[0].Image = "" },
			[]string{"spec.containers[0].image: Required value", "spec.containers[0].image: Required value"}},
		{"container added", nil, func(p *corev1.Pod) {
			p.Spec.Containers = append(p.Spec.Containers, corev1.Container{Name: "b", Image: "x:1", ImagePullPolicy: "Always", TerminationMessagePolicy: "File"})
		}, []string{"spec.containers: Forbidden: pod updates may not add or remove containers"}},
		{"deadline added", nil, func(p *corev1.Pod) { p.Spec.ActiveDeadlineSeconds = ptr[int64](60) }, nil},
		{"deadline lowered", func(p *corev1.Pod) { p.Spec.ActiveDeadlineSeconds = ptr[int64](60) }, func(p *corev1.Pod) { p.Spec.ActiveDeadlineSeconds = ptr[int64](30) }, nil},
		{"deadline raised", func(p *corev1.Pod) { p.Spec.ActiveDeadlineSeconds = ptr[int64](60) }, func(p *corev1.Pod) { p.Spec.ActiveDeadlineSeconds = ptr[int64](90) },
			[]string{"spec.activeDeadlineSeconds: Invalid value: 90: must be less than or equal to previous value"}},
		{"deadline removed", func(p *corev1.Pod) { p.Spec.ActiveDeadlineSeconds = ptr[int64](60) }, func(p *corev1.Pod) { p.Spec.ActiveDeadlineSeconds = nil },
			[]string{"spec.activeDeadlineSeconds: Invalid value: \"null\": must not update from a positive integer to nil value"}},
		{"toleration added", nil, func(p *corev1.Pod) {
			p.Spec.Tolerations = append(p.Spec.Tolerations, corev1.Toleration{Key: "k", Operator: "Exists"})
		}, nil},
		{"toleration seconds changed", func(p *corev1.Pod) {
			p.Spec.Tolerations = []corev1.Toleration{{Key: "k", Operator: "Exists", Effect: "NoExecute", TolerationSeconds: ptr[int64](300)}}
		}, func(p *corev1.Pod) { p.Spec.Tolerations[0].TolerationSeconds = ptr[int64](10) }, nil},
		{"toleration removed", func(p *corev1.Pod) {
			p.Spec.Tolerations = []corev1.Toleration{{Key: "k", Operator: "Exists"}}
		}, func(p *corev1.Pod) { p.Spec.Tolerations = nil },
			[]string{"spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds"}},
		{"scheduling gate removed", func(p *corev1.Pod) {
			p.Spec.SchedulingGates = []corev1.PodSchedulingGate{{Name: "a"}, {Name: "b"}}
		}, func(p *corev1.Pod) { p.Spec.SchedulingGates = p.Spec.SchedulingGates[1:] }, nil},
		{"scheduling gate added", nil, func(p *corev1.Pod) { p.Spec.SchedulingGates = []corev1.PodSchedulingGate{{Name: "a"}} },
			[]string{"spec.schedulingGates[0].name: Forbidden: only deletion is allowed, but found new scheduling gate 'a'"}},
		{"gated pod gains a node selector", func(p *corev1.Pod) {
			p.Spec.SchedulingGates = []corev1.PodSchedulingGate{{Name: "a"}}
		}, func(p *corev1.Pod) { p.Spec.NodeSelector = map[string]string{"zone": "a"} }, nil},
		{"grace period from negative to 1", func(p *corev1.Pod) { p.Spec.TerminationGracePeriodSeconds = ptr[int64](-1) },
			func(p *corev1.Pod) { p.Spec.TerminationGracePeriodSeconds = ptr[int64](1) }, nil},
		{"apparmor annotation added", nil, func(p *corev1.Pod) {
			p.Annotations = map[string]string{"container.apparmor.security.beta.kubernetes.io/app": "runtime/default"}
		}, []string{"metadata.annotations[container.apparmor.security.beta.kubernetes.io/app]: Forbidden: may not add AppArmor annotations"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old := newPod()
			if tt.old != nil {
				tt.old(old)
			}
			pod := old.DeepCopy()
			tt.mutate(pod)
			expectErrors(t, validatePodUpdate(pod, old, options{resourceIsPod: true, allowPrivileged: true}), tt.want...)
		})
	}
}

func TestPodUpdateForbiddenMessage(t *testing.T) {
	old := newPod()
	pod := old.DeepCopy()
	pod.Spec.RestartPolicy = corev1.RestartPolicyNever
	errs := validatePodUpdate(pod, old, options{resourceIsPod: true})
	if len(errs) != 1 {
		t.Fatalf("errors: %v", errs)
	}
	const want = "spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n"
	if got := errs[0].Error(); !strings.HasPrefix(got, want) || !strings.Contains(got, "RestartPolicy") {
		t.Errorf("got %q", got)
	}
}

func TestStrategyUpdateKeepsStatus(t *testing.T) {
	s := strategy{allowPrivileged: true}
	old := newPod()
	old.Status = corev1.PodStatus{Phase: corev1.PodRunning, PodIP: "10.0.0.5"}
	pod := old.DeepCopy()
	pod.Status = corev1.PodStatus{Phase: corev1.PodFailed}
	pod.Labels = map[string]string{"a": "b"}
	s.PrepareForUpdate(context.Background(), pod, old)
	if pod.Status.Phase != corev1.PodRunning || pod.Status.PodIP != "10.0.0.5" {
		t.Errorf("status changed: %+v", pod.Status)
	}
	if errs := s.ValidateUpdate(context.Background(), pod, old); len(errs) != 0 {
		t.Errorf("label change refused: %v", errs)
	}
}

func TestUpdateRatchetsDeletionCost(t *testing.T) {
	old := newPod()
	old.ObjectMeta = metav1.ObjectMeta{Name: "p", Namespace: "d", Annotations: map[string]string{"controller.kubernetes.io/pod-deletion-cost": "x"}}
	pod := old.DeepCopy()
	pod.Labels = map[string]string{"touched": "yes"}
	if errs := (strategy{}).ValidateUpdate(context.Background(), pod, old); len(errs) != 0 {
		t.Errorf("a stored invalid cost blocks updates: %v", errs)
	}
}
