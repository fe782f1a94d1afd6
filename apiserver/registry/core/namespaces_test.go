package core

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/skiff-dev/skiff/apiserver/storage"
)

// The registry's deletion hook, as the lead is asked to add it.
var _ interface {
	MarkDeleted(storage.Object)
	HoldsDeletion(storage.Object) bool
} = namespaceStrategy{}

func TestNamespaceDefaultsAndCreate(t *testing.T) {
	tests := []struct {
		name       string
		in         corev1.Namespace
		finalizers []corev1.FinalizerName
	}{
		{"adds kubernetes", corev1.Namespace{}, []corev1.FinalizerName{"kubernetes"}},
		{"keeps others first", corev1.Namespace{Spec: corev1.NamespaceSpec{Finalizers: []corev1.FinalizerName{"example.com/x"}}},
			[]corev1.FinalizerName{"example.com/x", "kubernetes"}},
		{"no duplicate", corev1.Namespace{Spec: corev1.NamespaceSpec{Finalizers: []corev1.FinalizerName{"kubernetes"}}},
			[]corev1.FinalizerName{"kubernetes"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ns := tt.in.DeepCopy()
			ns.Name = "team-a"
			ns.Status.Phase = corev1.NamespaceTerminating
			namespaceStrategy{}.PrepareForCreate(ctx, ns)
			if ns.Status.Phase != corev1.NamespaceActive {
				t.Errorf("phase = %q", ns.Status.Phase)
			}
			if len(ns.Spec.Finalizers) != len(tt.finalizers) {
				t.Fatalf("finalizers = %v, want %v", ns.Spec.Finalizers, tt.finalizers)
			}
			for i := range tt.finalizers {
				if ns.Spec.Finalizers[i] != tt.finalizers[i] {
					t.Errorf("finalizers = %v, want %v", ns.Spec.Finalizers, tt.finalizers)
				}
			}
			if ns.Labels[corev1.LabelMetadataName] != "team-a" {
				t.Errorf("labels = %v", ns.Labels)
			}
		})
	}

	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "x"}}
	namespaceStrategy{}.Default(ns)
	if ns.Status.Phase != corev1.NamespaceActive || ns.Labels["kubernetes.io/metadata.name"] != "x" {
		t.Errorf("defaults: %+v", ns)
	}
}

func TestNamespaceValidation(t *testing.T) {
	if msgs := (namespaceStrategy{}).ValidateName("Team.A", false); len(msgs) == 0 {
		t.Error("Team.A accepted as a namespace name")
	}
	tests := []struct {
		finalizer string
		want      []string
	}{
		{"kubernetes", nil},
		{"example.com/cleanup", nil},
		{"foo", []string{`spec.finalizers: Invalid value: "foo": name is neither a standard finalizer name nor is it fully qualified`}},
	}
	for _, tt := range tests {
		t.Run(tt.finalizer, func(t *testing.T) {
			ns := &corev1.Namespace{Spec: corev1.NamespaceSpec{Finalizers: []corev1.FinalizerName{corev1.FinalizerName(tt.finalizer)}}}
			checkErrs(t, namespaceStrategy{}.Validate(ctx, ns), tt.want...)
		})
	}
}

func TestNamespaceUpdateKeepsFinalizersAndStatus(t *testing.T) {
	old := &corev1.Namespace{
		ObjectMeta: metav1.ObjectMeta{Name: "a"},
		Spec:       corev1.NamespaceSpec{Finalizers: []corev1.FinalizerName{"kubernetes"}},
		Status:     corev1.NamespaceStatus{Phase: corev1.NamespaceActive},
	}
	ns := old.DeepCopy()
	ns.Spec.Finalizers = nil
	ns.Status.Phase = corev1.NamespaceTerminating
	namespaceStrategy{}.PrepareForUpdate(ctx, ns, old)
	if len(ns.Spec.Finalizers) != 1 || ns.Status.Phase != corev1.NamespaceActive {
		t.Errorf("update changed finalizers or status: %+v", ns)
	}

	// The finalize subresource changes the finalizers, not the status.
	fin := old.DeepCopy()
	fin.Spec.Finalizers = []corev1.FinalizerName{"bad"}
	fin.Status.Phase = corev1.NamespaceTerminating
	FinalizeStrategy.PrepareForUpdate(ctx, fin, old)
	if fin.Status.Phase != corev1.NamespaceActive {
		t.Errorf("finalize changed the status")
	}
	checkErrs(t, FinalizeStrategy.ValidateUpdate(ctx, fin, old),
		`spec.finalizers[0]: Invalid value: "bad": name is neither a standard finalizer name nor is it fully qualified`)
}

func TestNamespaceStatusPhase(t *testing.T) {
	now := metav1.NewTime(created)
	tests := []struct {
		name    string
		deleted bool
		phase   corev1.NamespacePhase
		want    []string
	}{
		{"active", false, corev1.NamespaceActive, nil},
		{"terminating without deletion", false, corev1.NamespaceTerminating,
			[]string{"status.Phase: Invalid value: \"Terminating\": may only be 'Active' if `deletionTimestamp` is empty"}},
		{"terminating", true, corev1.NamespaceTerminating, nil},
		{"active while deleted", true, corev1.NamespaceActive,
			[]string{"status.Phase: Invalid value: \"Active\": may only be 'Terminating' if `deletionTimestamp` is not empty"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ns := &corev1.Namespace{Status: corev1.NamespaceStatus{Phase: tt.phase}}
			if tt.deleted {
				ns.DeletionTimestamp = &now
			}
			checkErrs(t, namespaceStatusStrategy{}.ValidateUpdate(ctx, ns, ns.DeepCopy()), tt.want...)
		})
	}
}

func TestNamespaceDeletionHooks(t *testing.T) {
	grace := int64(0)
	ns := &corev1.Namespace{
		ObjectMeta: metav1.ObjectMeta{Name: "a", DeletionGracePeriodSeconds: &grace},
		Spec:       corev1.NamespaceSpec{Finalizers: []corev1.FinalizerName{"kubernetes"}},
		Status:     corev1.NamespaceStatus{Phase: corev1.NamespaceActive},
	}
	s := namespaceStrategy{}
	s.MarkDeleted(ns)
	if ns.Status.Phase != corev1.NamespaceTerminating || ns.DeletionGracePeriodSeconds != nil {
		t.Errorf("marked: %+v", ns)
	}
	if !s.HoldsDeletion(ns) {
		t.Error("spec.finalizers do not hold the namespace")
	}
	ns.Spec.Finalizers = nil
	if s.HoldsDeletion(ns) {
		t.Error("an emptied namespace is still held")
	}
}

func TestNamespaceAttrsAndTable(t *testing.T) {
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "a", CreationTimestamp: metav1.NewTime(created)},
		Status: corev1.NamespaceStatus{Phase: corev1.NamespaceActive}}
	_, f, err := namespaceAttrs(ns)
	if err != nil || f["status.phase"] != "Active" || f["name"] != "a" || f["metadata.name"] != "a" {
		t.Errorf("attrs = %v, %v", f, err)
	}
	r := namespacesResource(clock)
	if !r.ReturnDeletedObject || r.Namespaced || r.StoragePrefix != "namespaces" || r.ShortNames[0] != "ns" {
		t.Errorf("resource = %+v", r)
	}
	checkRows(t, r.Table, []storage.Object{ns}, false, []string{"Name", "Status", "Age"}, []any{"a", "Active", "5m"})
}
