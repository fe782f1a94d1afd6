package taintnodesbycondition

import (
	"context"
	"testing"

	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/skiff-dev/skiff/apiserver/admission"
)

var nodesGVR = schema.GroupVersionResource{Version: "v1", Resource: "nodes"}

func TestAdmit(t *testing.T) {
	notReady := corev1.Taint{Key: "node.kubernetes.io/not-ready", Effect: "NoSchedule"}
	other := corev1.Taint{Key: "dedicated", Value: "gpu", Effect: "NoSchedule"}
	tests := []struct {
		name string
		in   []corev1.Taint
		want []corev1.Taint
	}{
		{name: "added", want: []corev1.Taint{notReady}},
		{name: "added after others", in: []corev1.Taint{other}, want: []corev1.Taint{other, notReady}},
		{name: "already there", in: []corev1.Taint{{Key: "node.kubernetes.io/not-ready", Value: "x", Effect: "NoSchedule"}},
			want: []corev1.Taint{{Key: "node.kubernetes.io/not-ready", Value: "x", Effect: "NoSchedule"}}},
		{name: "another effect does not count", in: []corev1.Taint{{Key: "node.kubernetes.io/not-ready", Effect: "NoExecute"}},
			want: []corev1.Taint{{Key: "node.kubernetes.io/not-ready", Effect: "NoExecute"}, notReady}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			node := &corev1.Node{Spec: corev1.NodeSpec{Taints: tt.in}}
			a := &admission.Attributes{Operation: admission.Create, Resource: nodesGVR, Name: "n", Object: node}
			if err := New().Admit(context.Background(), a); err != nil {
				t.Fatalf("Admit: %v", err)
			}
			if !apiequality.Semantic.DeepEqual(node.Spec.Taints, tt.want) {
				t.Errorf("taints = %+v, want %+v", node.Spec.Taints, tt.want)
			}
		})
	}
}

func TestOthers(t *testing.T) {
	p := New()
	if p.Handles(admission.Update) {
		t.Error("only creates are handled")
	}
	node := &corev1.Node{}
	a := &admission.Attributes{Operation: admission.Create, Resource: nodesGVR, Subresource: "status", Name: "n", Object: node}
	if err := p.Admit(context.Background(), a); err != nil || len(node.Spec.Taints) != 0 {
		t.Fatalf("status: %v %v", err, node.Spec.Taints)
	}
	a = &admission.Attributes{Operation: admission.Create, Resource: nodesGVR, Name: "n", Object: &corev1.Pod{}}
	if err := p.Admit(context.Background(), a); !apierrors.IsForbidden(err) || err.Error() != `nodes "n" is forbidden: unexpected type *v1.Pod` {
		t.Fatalf("pod as node: %v", err)
	}
}
