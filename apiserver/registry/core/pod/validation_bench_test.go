package pod

import (
	"context"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// BenchmarkValidateCreate validates a defaulted one-container pod, the
// benchmark's pod (test/bench): what every pod create pays.
func BenchmarkValidateCreate(b *testing.B) {
	res := Resources()[0]
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "pod-00001", Namespace: "bench", Labels: map[string]string{"app": "bench"}},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "main", Image: "busybox"}}},
	}
	res.Strategy.Default(pod)
	ctx := context.Background()
	if errs := res.Strategy.Validate(ctx, pod); len(errs) != 0 {
		b.Fatal(errs)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		res.Strategy.Validate(ctx, pod)
	}
}
