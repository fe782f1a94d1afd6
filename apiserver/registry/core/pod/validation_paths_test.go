package pod

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
)

// TestValidatePodCreateErrorPaths covers checks whose field paths are made
// only when they fail: each error must still name the field.
func TestValidatePodCreateErrorPaths(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(p *corev1.Pod)
		want   []string
	}{
		{"pull policy", func(p *corev1.Pod) { p.Spec.Containers[0].ImagePullPolicy = "Sometimes" },
			[]string{`spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"`}},
		{"dns policy", func(p *corev1.Pod) { p.Spec.DNSPolicy = "Bogus" },
			[]string{`spec.dnsPolicy: Unsupported value: "Bogus": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"`}},
		{"restart policy", func(p *corev1.Pod) { p.Spec.RestartPolicy = "" },
			[]string{"spec.restartPolicy: Required value"}},
		{"preemption policy", func(p *corev1.Pod) { p.Spec.PreemptionPolicy = ptr(corev1.PreemptionPolicy("Sometimes")) },
			[]string{`spec.preemptionPolicy: Unsupported value: "Sometimes": supported values: "PreemptLowerPriority", "Never"`}},
		{"toleration key", func(p *corev1.Pod) {
			p.Spec.Tolerations = []corev1.Toleration{{Key: "node.kubernetes.io/not-ready", Operator: corev1.TolerationOpExists}, {Key: "bad key", Operator: corev1.TolerationOpExists}}
		}, []string{`spec.tolerations[1].key: Invalid value: "bad key": name part must consist of alphanumeric characters`}},
		{"init container image whitespace", func(p *corev1.Pod) {
			c := p.Spec.Containers[0]
			c.Name, c.Image = "init", " busybox"
			p.Spec.InitContainers = []corev1.Container{c}
		}, []string{`spec.initContainers[0].image: Invalid value: " busybox": must not have leading or trailing whitespace`}},
		{"seccomp annotation and field", func(p *corev1.Pod) {
			p.Annotations = map[string]string{corev1.SeccompContainerAnnotationKeyPrefix + "app": corev1.SeccompProfileNameUnconfined}
			p.Spec.Containers[0].SecurityContext = &corev1.SecurityContext{SeccompProfile: &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault}}
		}, []string{"spec.containers[0].securityContext.seccompProfile.type: Forbidden: seccomp type in annotation and field must match"}},
		{"apparmor annotation and field", func(p *corev1.Pod) {
			p.Annotations = map[string]string{appArmorAnnotationPrefix + "app": corev1.DeprecatedAppArmorBetaProfileNameUnconfined}
			p.Spec.Containers[0].SecurityContext = &corev1.SecurityContext{AppArmorProfile: &corev1.AppArmorProfile{Type: corev1.AppArmorProfileTypeRuntimeDefault}}
		}, []string{"spec.containers[0].securityContext.appArmorProfile.type: Forbidden: apparmor type in annotation and field must match"}},
		{"windows options on a linux pod", func(p *corev1.Pod) {
			p.Spec.OS = &corev1.PodOS{Name: corev1.Linux}
			p.Spec.Containers[0].SecurityContext = &corev1.SecurityContext{WindowsOptions: &corev1.WindowsSecurityContextOptions{}}
		}, []string{"spec.containers[0].securityContext.windowsOptions: Forbidden: windows options cannot be set for a linux pod"}},
		{"hostProcess differs from the pod's", func(p *corev1.Pod) {
			p.Spec.HostNetwork = true
			p.Spec.SecurityContext.WindowsOptions = &corev1.WindowsSecurityContextOptions{HostProcess: ptr(true)}
			p.Spec.Containers[0].SecurityContext = &corev1.SecurityContext{WindowsOptions: &corev1.WindowsSecurityContextOptions{HostProcess: ptr(false)}}
		}, []string{"spec.containers[0].securityContext.windowsOptions.hostProcess: Invalid value: false: pod hostProcess value must be identical if both are specified, was true"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pod := newPod()
			tt.mutate(pod)
			expectErrors(t, validatePodCreate(pod, options{resourceIsPod: true, allowPrivileged: true}), tt.want...)
		})
	}
}
