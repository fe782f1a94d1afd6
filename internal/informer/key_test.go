package informer

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestMetaNamespaceKeyFunc(t *testing.T) {
	pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "p"}}
	tests := []struct {
		name    string
		obj     any
		want    string
		wantErr bool
	}{
		{name: "namespaced", obj: pod, want: "ns/p"},
		{name: "cluster-scoped", obj: &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "n1"}}, want: "n1"},
		{name: "tombstone", obj: DeletedFinalStateUnknown{Key: "ns/gone", Obj: pod}, want: "ns/gone"},
		{name: "tombstone pointer", obj: &DeletedFinalStateUnknown{Key: "ns/gone"}, want: "ns/gone"},
		{name: "not an object", obj: 42, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := MetaNamespaceKeyFunc(tt.obj)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("MetaNamespaceKeyFunc = %q, %v; want %q (error %v)", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestSplitMetaNamespaceKey(t *testing.T) {
	tests := []struct {
		key, ns, name string
		wantErr       bool
	}{
		{key: "ns/p", ns: "ns", name: "p"},
		{key: "n1", name: "n1"},
		{key: "a/b/c", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			ns, name, err := SplitMetaNamespaceKey(tt.key)
			if (err != nil) != tt.wantErr || ns != tt.ns || name != tt.name {
				t.Errorf("SplitMetaNamespaceKey(%q) = %q, %q, %v", tt.key, ns, name, err)
			}
		})
	}
}
