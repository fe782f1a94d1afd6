package pod

import (
	"context"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestPrepareForCreate(t *testing.T) {
	pod := newPod()
	pod.Labels = map[string]string{"app": "web", "tier": "front"}
	pod.Status = corev1.PodStatus{Phase: corev1.PodRunning, PodIP: "10.0.0.1"}
	pod.Spec.SchedulingGates = []corev1.PodSchedulingGate{{Name: "example.com/quota"}}
	pod.Spec.Containers[0].ResizePolicy = []corev1.ContainerResizePolicy{{ResourceName: "cpu", RestartPolicy: "NotRequired"}}
	pod.Spec.HostUsers = ptr(false)
	pod.Spec.Affinity = &corev1.Affinity{PodAntiAffinity: &corev1.PodAntiAffinity{
		RequiredDuringSchedulingIgnoredDuringExecution: []corev1.PodAffinityTerm{{
			LabelSelector:     &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}},
			TopologyKey:       "kubernetes.io/hostname",
			MatchLabelKeys:    []string{"tier"},
			MismatchLabelKeys: []string{"missing"},
		}},
	}}
	pod.Spec.SecurityContext.AppArmorProfile = &corev1.AppArmorProfile{Type: corev1.AppArmorProfileTypeRuntimeDefault}
	strategy{}.PrepareForCreate(context.Background(), pod)

	if pod.Status.Phase != corev1.PodPending || pod.Status.PodIP != "" || pod.Status.QOSClass != corev1.PodQOSBestEffort {
		t.Errorf("status %+v", pod.Status)
	}
	if len(pod.Status.Conditions) != 1 || pod.Status.Conditions[0].Reason != "SchedulingGated" || pod.Status.Conditions[0].Status != corev1.ConditionFalse {
		t.Errorf("conditions %+v", pod.Status.Conditions)
	}
	if pod.Spec.Containers[0].ResizePolicy != nil || pod.Spec.HostUsers != nil {
		t.Error("fields of disabled features kept")
	}
	exprs := pod.Spec.Affinity.PodAntiAffinity.RequiredDuringSchedulingIgnoredDuringExecution[0].LabelSelector.MatchExpressions
	if len(exprs) != 1 || exprs[0].Key != "tier" || exprs[0].Operator != metav1.LabelSelectorOpIn || exprs[0].Values[0] != "front" {
		t.Errorf("matchLabelKeys not merged: %+v", exprs)
	}
	if got := pod.Annotations["container.apparmor.security.beta.kubernetes.io/app"]; got != "runtime/default" {
		t.Errorf("apparmor annotation %q", got)
	}
}

func TestAppArmorAnnotationSetsField(t *testing.T) {
	pod := newPod()
	pod.Annotations = map[string]string{"container.apparmor.security.beta.kubernetes.io/app": "localhost/my-profile"}
	strategy{}.PrepareForCreate(context.Background(), pod)
	p := pod.Spec.Containers[0].SecurityContext.AppArmorProfile
	if p == nil || p.Type != corev1.AppArmorProfileTypeLocalhost || *p.LocalhostProfile != "my-profile" {
		t.Errorf("profile %+v", p)
	}
}

func TestQOSClass(t *testing.T) {
	res := func(cpuReq, cpuLim, memReq, memLim string) corev1.ResourceRequirements {
		r := corev1.ResourceRequirements{Requests: corev1.ResourceList{}, Limits: corev1.ResourceList{}}
		for name, v := range map[corev1.ResourceName][2]string{"cpu": {cpuReq, cpuLim}, "memory": {memReq, memLim}} {
			if v[0] != "" {
				r.Requests[name] = resource.MustParse(v[0])
			}
			if v[1] != "" {
				r.Limits[name] = resource.MustParse(v[1])
			}
		}
		return r
	}
	tests := []struct {
		name string
		res  []corev1.ResourceRequirements
		want corev1.PodQOSClass
	}{
		{"nothing", []corev1.ResourceRequirements{{}}, corev1.PodQOSBestEffort},
		{"zero quantities", []corev1.ResourceRequirements{res("0", "", "", "")}, corev1.PodQOSBestEffort},
		{"limits equal requests", []corev1.ResourceRequirements{res("1", "1", "1Gi", "1Gi")}, corev1.PodQOSGuaranteed},
		{"requests below limits", []corev1.ResourceRequirements{res("500m", "1", "1Gi", "1Gi")}, corev1.PodQOSBurstable},
		{"memory not limited", []corev1.ResourceRequirements{res("1", "1", "", "")}, corev1.PodQOSBurstable},
		{"one container best effort", []corev1.ResourceRequirements{res("1", "1", "1Gi", "1Gi"), {}}, corev1.PodQOSBurstable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pod := &corev1.Pod{}
			for _, r := range tt.res {
				pod.Spec.Containers = append(pod.Spec.Containers, corev1.Container{Resources: r})
			}
			if got := qosClass(pod); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}
