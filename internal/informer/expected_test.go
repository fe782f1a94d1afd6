package informer

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
)

func TestExpectedType(t *testing.T) {
	widget := func(kind string) *unstructured.Unstructured {
		u := &unstructured.Unstructured{}
		u.SetAPIVersion("example.com/v1")
		u.SetKind(kind)
		return u
	}
	tests := []struct {
		name    string
		example Object
		obj     runtime.Object
		wantErr bool
	}{
		{name: "no example accepts anything", obj: &corev1.Pod{}},
		{name: "same type", example: &corev1.Pod{}, obj: &corev1.Pod{}},
		{name: "other type", example: &corev1.Pod{}, obj: &corev1.ConfigMap{}, wantErr: true},
		{name: "same kind", example: widget("Widget"), obj: widget("Widget")},
		{name: "other kind", example: widget("Widget"), obj: widget("Gadget"), wantErr: true},
		{name: "unstructured without a kind", example: &unstructured.Unstructured{}, obj: widget("Gadget")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := newExpectedType(tt.example).check(tt.obj); (err != nil) != tt.wantErr {
				t.Errorf("check = %v, want error %v", err, tt.wantErr)
			}
		})
	}
}
