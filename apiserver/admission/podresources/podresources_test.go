package podresources

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
)

func rl(cpu, mem string) corev1.ResourceList {
	l := corev1.ResourceList{}
	if cpu != "" {
		l[corev1.ResourceCPU] = resource.MustParse(cpu)
	}
	if mem != "" {
		l[corev1.ResourceMemory] = resource.MustParse(mem)
	}
	return l
}

func container(req, lim corev1.ResourceList) corev1.Container {
	return corev1.Container{Resources: corev1.ResourceRequirements{Requests: req, Limits: lim}}
}

func sidecar(req, lim corev1.ResourceList) corev1.Container {
	always := corev1.ContainerRestartPolicyAlways
	c := container(req, lim)
	c.RestartPolicy = &always
	return c
}

func TestRequestsAndLimits(t *testing.T) {
	tests := []struct {
		name                string
		spec                corev1.PodSpec
		overhead            bool
		wantReqs, wantLimit corev1.ResourceList
	}{{
		name:      "containers are summed",
		spec:      corev1.PodSpec{Containers: []corev1.Container{container(rl("100m", "1Gi"), rl("200m", "")), container(rl("300m", ""), rl("1", "2Gi"))}},
		wantReqs:  rl("400m", "1Gi"),
		wantLimit: rl("1200m", "2Gi"),
	}, {
		name: "an init container needing more wins",
		spec: corev1.PodSpec{
			InitContainers: []corev1.Container{container(rl("2", ""), nil)},
			Containers:     []corev1.Container{container(rl("500m", "1Gi"), nil)},
		},
		wantReqs:  rl("2", "1Gi"),
		wantLimit: corev1.ResourceList{},
	}, {
		name: "sidecars add to the pod and to later init containers",
		spec: corev1.PodSpec{
			InitContainers: []corev1.Container{sidecar(rl("500m", ""), rl("1", "")), container(rl("1", ""), rl("1", ""))},
			Containers:     []corev1.Container{container(rl("100m", ""), rl("100m", ""))},
		},
		// init container runs with the sidecar: 1 + 0.5 = 1.5 > 0.1 + 0.5.
		wantReqs:  rl("1500m", ""),
		wantLimit: rl("2", ""),
	}, {
		name: "overhead",
		spec: corev1.PodSpec{
			Containers: []corev1.Container{container(rl("100m", "1Gi"), rl("200m", ""))},
			Overhead:   rl("10m", "10Mi"),
		},
		overhead:  true,
		wantReqs:  corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("110m"), corev1.ResourceMemory: resource.MustParse("1034Mi")},
		wantLimit: rl("210m", ""),
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pod := &corev1.Pod{Spec: tt.spec}
			if got := Requests(pod, tt.overhead); !equal(got, tt.wantReqs) {
				t.Errorf("Requests = %v, want %v", got, tt.wantReqs)
			}
			if got := Limits(pod, tt.overhead); !equal(got, tt.wantLimit) {
				t.Errorf("Limits = %v, want %v", got, tt.wantLimit)
			}
		})
	}
}

func equal(a, b corev1.ResourceList) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		w, ok := b[k]
		if !ok || v.Cmp(w) != 0 {
			return false
		}
	}
	return true
}
