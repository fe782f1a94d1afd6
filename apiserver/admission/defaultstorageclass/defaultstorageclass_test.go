package defaultstorageclass

import (
	"context"
	"errors"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	storagev1 "k8s.io/api/storage/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/skiff-dev/skiff/apiserver/admission"
)

type fakeClasses struct {
	classes []*storagev1.StorageClass
	err     error
}

func (f fakeClasses) ListStorageClasses(context.Context) ([]*storagev1.StorageClass, error) {
	return f.classes, f.err
}

func class(name string, created int64, annotations map[string]string) *storagev1.StorageClass {
	return &storagev1.StorageClass{ObjectMeta: metav1.ObjectMeta{
		Name: name, CreationTimestamp: metav1.NewTime(time.Unix(created, 0)), Annotations: annotations,
	}}
}

var isDefault = map[string]string{IsDefaultStorageClassAnnotation: "true"}

func TestAdmit(t *testing.T) {
	empty := ""
	gold := "gold"
	tests := []struct {
		name     string
		classes  []*storagev1.StorageClass
		pvc      *corev1.PersistentVolumeClaim
		resource string
		want     *string
	}{{
		name:    "the default class is set",
		classes: []*storagev1.StorageClass{class("slow", 1, nil), class("fast", 1, isDefault)},
		pvc:     &corev1.PersistentVolumeClaim{},
		want:    ptr("fast"),
	}, {
		name: "the newest default wins",
		classes: []*storagev1.StorageClass{class("old", 1, isDefault), class("new", 5, isDefault),
			class("beta", 3, map[string]string{BetaIsDefaultStorageClassAnnotation: "true"})},
		pvc:  &corev1.PersistentVolumeClaim{},
		want: ptr("new"),
	}, {
		name:    "as new: by name",
		classes: []*storagev1.StorageClass{class("b", 5, isDefault), class("a", 5, isDefault)},
		pvc:     &corev1.PersistentVolumeClaim{},
		want:    ptr("a"),
	}, {
		name:    "no default class",
		classes: []*storagev1.StorageClass{class("slow", 1, map[string]string{IsDefaultStorageClassAnnotation: "false"})},
		pvc:     &corev1.PersistentVolumeClaim{},
	}, {
		name:    "an explicit empty class is kept",
		classes: []*storagev1.StorageClass{class("fast", 1, isDefault)},
		pvc:     &corev1.PersistentVolumeClaim{Spec: corev1.PersistentVolumeClaimSpec{StorageClassName: &empty}},
		want:    ptr(""),
	}, {
		name:    "a named class is kept",
		classes: []*storagev1.StorageClass{class("fast", 1, isDefault)},
		pvc:     &corev1.PersistentVolumeClaim{Spec: corev1.PersistentVolumeClaimSpec{StorageClassName: &gold}},
		want:    ptr("gold"),
	}, {
		name:    "the beta annotation counts as a class",
		classes: []*storagev1.StorageClass{class("fast", 1, isDefault)},
		pvc:     &corev1.PersistentVolumeClaim{ObjectMeta: metav1.ObjectMeta{Annotations: map[string]string{corev1.BetaStorageClassAnnotation: "x"}}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := New(nil, fakeClasses{classes: tt.classes})
			a := &admission.Attributes{Operation: admission.Create, Resource: schema.GroupVersionResource{Version: "v1", Resource: "persistentvolumeclaims"},
				Namespace: "ns", Name: "c", Object: tt.pvc}
			if err := p.Admit(context.Background(), a); err != nil {
				t.Fatalf("Admit: %v", err)
			}
			got := tt.pvc.Spec.StorageClassName
			if (got == nil) != (tt.want == nil) || (got != nil && *got != *tt.want) {
				t.Errorf("storageClassName = %v, want %v", deref(got), deref(tt.want))
			}
		})
	}
}

func TestListError(t *testing.T) {
	p := New(nil, fakeClasses{err: errors.New("boom")})
	a := &admission.Attributes{Operation: admission.Create, Resource: schema.GroupVersionResource{Version: "v1", Resource: "persistentvolumeclaims"},
		Namespace: "ns", Name: "c", Object: &corev1.PersistentVolumeClaim{}}
	err := p.Admit(context.Background(), a)
	if !apierrors.IsForbidden(err) || err.Error() != `persistentvolumeclaims "c" is forbidden: boom` {
		t.Fatalf("Admit = %v", err)
	}
	if p.Handles(admission.Update) || !p.Handles(admission.Create) {
		t.Error("the plugin handles creates only")
	}
}

func ptr(s string) *string { return &s }

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}
