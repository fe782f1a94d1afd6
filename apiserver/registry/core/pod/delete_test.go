package pod

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestGracePeriod(t *testing.T) {
	tests := []struct {
		name    string
		node    string
		phase   corev1.PodPhase
		spec    *int64
		request *int64
		want    int64
	}{
		{"spec default", "n1", corev1.PodRunning, ptr[int64](30), nil, 30},
		{"request wins", "n1", corev1.PodRunning, ptr[int64](30), ptr[int64](5), 5},
		{"force", "n1", corev1.PodRunning, ptr[int64](30), ptr[int64](0), 0},
		{"unbound pod", "", corev1.PodPending, ptr[int64](30), ptr[int64](10), 0},
		{"succeeded pod", "n1", corev1.PodSucceeded, ptr[int64](30), nil, 0},
		{"failed pod", "n1", corev1.PodFailed, ptr[int64](30), nil, 0},
		{"negative becomes 1", "n1", corev1.PodRunning, ptr[int64](-5), nil, 1},
		{"no spec period", "n1", corev1.PodRunning, nil, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pod := &corev1.Pod{Spec: corev1.PodSpec{NodeName: tt.node, TerminationGracePeriodSeconds: tt.spec}, Status: corev1.PodStatus{Phase: tt.phase}}
			got, graceful := strategy{}.GracePeriod(pod, &metav1.DeleteOptions{GracePeriodSeconds: tt.request})
			if !graceful || got != tt.want {
				t.Errorf("got %d, %v; want %d", got, graceful, tt.want)
			}
		})
	}
}
