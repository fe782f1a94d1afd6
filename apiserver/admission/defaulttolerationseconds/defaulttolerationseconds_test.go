package defaulttolerationseconds

import (
	"context"
	"testing"

	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/skiff-dev/skiff/apiserver/admission"
)

func secs(n int64) *int64 { return &n }

func TestAdmit(t *testing.T) {
	notReady := corev1.Toleration{Key: "node.kubernetes.io/not-ready", Operator: "Exists", Effect: "NoExecute", TolerationSeconds: secs(300)}
	unreachable := corev1.Toleration{Key: "node.kubernetes.io/unreachable", Operator: "Exists", Effect: "NoExecute", TolerationSeconds: secs(120)}
	own := corev1.Toleration{Key: "node.kubernetes.io/not-ready", Operator: "Exists", Effect: "NoExecute", TolerationSeconds: secs(10)}
	tests := []struct {
		name string
		in   []corev1.Toleration
		want []corev1.Toleration
	}{
		{name: "both added", want: []corev1.Toleration{notReady, unreachable}},
		{name: "one present", in: []corev1.Toleration{own}, want: []corev1.Toleration{own, unreachable}},
		{name: "tolerates everything", in: []corev1.Toleration{{Operator: "Exists"}}, want: []corev1.Toleration{{Operator: "Exists"}}},
		{
			name: "a NoSchedule toleration does not count",
			in:   []corev1.Toleration{{Key: "node.kubernetes.io/not-ready", Operator: "Exists", Effect: "NoSchedule"}},
			want: []corev1.Toleration{{Key: "node.kubernetes.io/not-ready", Operator: "Exists", Effect: "NoSchedule"}, notReady, unreachable},
		},
		{
			name: "any effect of the key counts",
			in:   []corev1.Toleration{{Key: "node.kubernetes.io/unreachable", Operator: "Exists"}},
			want: []corev1.Toleration{{Key: "node.kubernetes.io/unreachable", Operator: "Exists"}, notReady},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pod := &corev1.Pod{Spec: corev1.PodSpec{Tolerations: tt.in}}
			a := &admission.Attributes{Operation: admission.Create, Resource: schema.GroupVersionResource{Version: "v1", Resource: "pods"}, Object: pod}
			if err := New(300, 120).Admit(context.Background(), a); err != nil {
				t.Fatalf("Admit: %v", err)
			}
			if !apiequality.Semantic.DeepEqual(pod.Spec.Tolerations, tt.want) {
				t.Errorf("tolerations = %+v, want %+v", pod.Spec.Tolerations, tt.want)
			}
		})
	}
}

func TestIgnoredAndBadObjects(t *testing.T) {
	p := New(300, 300)
	pod := &corev1.Pod{}
	a := &admission.Attributes{Operation: admission.Update, Resource: schema.GroupVersionResource{Version: "v1", Resource: "pods"}, Subresource: "status", Object: pod}
	if err := p.Admit(context.Background(), a); err != nil || len(pod.Spec.Tolerations) != 0 {
		t.Fatalf("status: err %v, tolerations %v", err, pod.Spec.Tolerations)
	}
	a = &admission.Attributes{Operation: admission.Create, Resource: schema.GroupVersionResource{Version: "v1", Resource: "pods"}, Object: &corev1.Node{}}
	if err := p.Admit(context.Background(), a); !apierrors.IsBadRequest(err) || err.Error() != "expected *api.Pod but got *v1.Node" {
		t.Fatalf("node as pod: %v", err)
	}
	if !p.Handles(admission.Update) || p.Handles(admission.Delete) {
		t.Error("the plugin handles creates and updates")
	}
}
