package priority

import (
	"context"
	"errors"
	"testing"

	corev1 "k8s.io/api/core/v1"
	schedulingv1 "k8s.io/api/scheduling/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/skiff-dev/skiff/apiserver/admission"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

type fakeClasses struct {
	classes []*schedulingv1.PriorityClass
	err     error
}

func (f fakeClasses) GetPriorityClass(_ context.Context, name string) (*schedulingv1.PriorityClass, error) {
	if f.err != nil {
		return nil, f.err
	}
	for _, c := range f.classes {
		if c.Name == name {
			return c, nil
		}
	}
	return nil, storage.ErrNotFound
}

func (f fakeClasses) ListPriorityClasses(context.Context) ([]*schedulingv1.PriorityClass, error) {
	return f.classes, f.err
}

func class(name string, value int32, def bool, policy corev1.PreemptionPolicy) *schedulingv1.PriorityClass {
	pc := &schedulingv1.PriorityClass{ObjectMeta: metav1.ObjectMeta{Name: name}, Value: value, GlobalDefault: def}
	if policy != "" {
		pc.PreemptionPolicy = &policy
	}
	return pc
}

var podsGVR = schema.GroupVersionResource{Version: "v1", Resource: "pods"}

func podAttrs(op admission.Operation, pod, old *corev1.Pod) *admission.Attributes {
	a := &admission.Attributes{Operation: op, Resource: podsGVR, Namespace: "ns", Name: "x", Object: pod}
	if old != nil {
		a.OldObject = old
	}
	return a
}

func i32(v int32) *int32 { return &v }

func policy(p corev1.PreemptionPolicy) *corev1.PreemptionPolicy { return &p }

func TestAdmitCreate(t *testing.T) {
	critical := class("system-node-critical", 2000001000, false, corev1.PreemptLowerPriority)
	batch := class("batch", 100, false, corev1.PreemptNever)
	tests := []struct {
		name       string
		classes    []*schedulingv1.PriorityClass
		spec       corev1.PodSpec
		wantClass  string
		wantValue  int32
		wantPolicy *corev1.PreemptionPolicy
		wantErr    string
	}{{
		name:       "no class and no default",
		wantValue:  0,
		wantPolicy: policy(corev1.PreemptLowerPriority),
	}, {
		name:       "the global default",
		classes:    []*schedulingv1.PriorityClass{class("high", 1000, true, ""), class("low", 10, true, corev1.PreemptNever), batch},
		wantClass:  "low",
		wantValue:  10,
		wantPolicy: policy(corev1.PreemptNever),
	}, {
		name:       "a named class",
		classes:    []*schedulingv1.PriorityClass{critical, batch},
		spec:       corev1.PodSpec{PriorityClassName: "system-node-critical"},
		wantClass:  "system-node-critical",
		wantValue:  2000001000,
		wantPolicy: policy(corev1.PreemptLowerPriority),
	}, {
		name:      "a class without a preemption policy",
		classes:   []*schedulingv1.PriorityClass{class("plain", 5, false, "")},
		spec:      corev1.PodSpec{PriorityClassName: "plain"},
		wantClass: "plain",
		wantValue: 5,
	}, {
		name:       "the same priority given",
		classes:    []*schedulingv1.PriorityClass{batch},
		spec:       corev1.PodSpec{PriorityClassName: "batch", Priority: i32(100), PreemptionPolicy: policy(corev1.PreemptNever)},
		wantClass:  "batch",
		wantValue:  100,
		wantPolicy: policy(corev1.PreemptNever),
	}, {
		name:    "an unknown class",
		spec:    corev1.PodSpec{PriorityClassName: "gold"},
		wantErr: `pods "x" is forbidden: no PriorityClass with name gold was found`,
	}, {
		name:    "another priority given",
		classes: []*schedulingv1.PriorityClass{batch},
		spec:    corev1.PodSpec{PriorityClassName: "batch", Priority: i32(7)},
		wantErr: `pods "x" is forbidden: the integer value of priority (7) must not be provided in pod spec; priority admission controller computed 100 from the given PriorityClass name`,
	}, {
		name:    "another preemption policy given",
		classes: []*schedulingv1.PriorityClass{batch},
		spec:    corev1.PodSpec{PriorityClassName: "batch", PreemptionPolicy: policy(corev1.PreemptLowerPriority)},
		wantErr: `pods "x" is forbidden: the string value of PreemptionPolicy (PreemptLowerPriority) must not be provided in pod spec; priority admission controller computed Never from the given PriorityClass name`,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pod := &corev1.Pod{Spec: tt.spec}
			err := New(nil, fakeClasses{classes: tt.classes}).Admit(context.Background(), podAttrs(admission.Create, pod, nil))
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr || !apierrors.IsForbidden(err) {
					t.Fatalf("Admit = %v, want Forbidden %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Admit: %v", err)
			}
			if pod.Spec.PriorityClassName != tt.wantClass || pod.Spec.Priority == nil || *pod.Spec.Priority != tt.wantValue {
				t.Errorf("class %q priority %v, want %q %d", pod.Spec.PriorityClassName, pod.Spec.Priority, tt.wantClass, tt.wantValue)
			}
			got := pod.Spec.PreemptionPolicy
			if (got == nil) != (tt.wantPolicy == nil) || (got != nil && *got != *tt.wantPolicy) {
				t.Errorf("preemptionPolicy = %v, want %v", got, tt.wantPolicy)
			}
		})
	}
}

func TestAdmitUpdateKeepsPriority(t *testing.T) {
	old := &corev1.Pod{Spec: corev1.PodSpec{Priority: i32(100), PreemptionPolicy: policy(corev1.PreemptNever)}}
	pod := &corev1.Pod{}
	if err := New(nil, fakeClasses{}).Admit(context.Background(), podAttrs(admission.Update, pod, old)); err != nil {
		t.Fatalf("Admit: %v", err)
	}
	if pod.Spec.Priority == nil || *pod.Spec.Priority != 100 || pod.Spec.PreemptionPolicy == nil || *pod.Spec.PreemptionPolicy != corev1.PreemptNever {
		t.Errorf("spec = %+v", pod.Spec)
	}
	// Subresources are left alone.
	a := podAttrs(admission.Create, &corev1.Pod{Spec: corev1.PodSpec{PriorityClassName: "gone"}}, nil)
	a.Subresource = "binding"
	if err := New(nil, fakeClasses{}).Admit(context.Background(), a); err != nil {
		t.Fatalf("binding: %v", err)
	}
}

func TestLookupError(t *testing.T) {
	p := New(nil, fakeClasses{err: errors.New("boom")})
	err := p.Admit(context.Background(), podAttrs(admission.Create, &corev1.Pod{Spec: corev1.PodSpec{PriorityClassName: "x"}}, nil))
	if err == nil || err.Error() != "failed to get PriorityClass with name x: boom" || apierrors.IsForbidden(err) {
		t.Fatalf("Admit = %v", err)
	}
	err = p.Admit(context.Background(), podAttrs(admission.Create, &corev1.Pod{}, nil))
	if err == nil || err.Error() != "failed to get default priority class: boom" {
		t.Fatalf("Admit = %v", err)
	}
}

func TestValidateDefault(t *testing.T) {
	pcGVR := schema.GroupVersionResource{Group: "scheduling.k8s.io", Version: "v1", Resource: "priorityclasses"}
	existing := []*schedulingv1.PriorityClass{class("default-one", 10, true, ""), class("other", 5, false, "")}
	tests := []struct {
		name    string
		op      admission.Operation
		pc      *schedulingv1.PriorityClass
		wantErr string
	}{
		{name: "a second default", op: admission.Create, pc: class("new", 1, true, ""),
			wantErr: `priorityclasses.scheduling.k8s.io "new" is forbidden: PriorityClass default-one is already marked as default. Only one default can exist`},
		{name: "another class made default", op: admission.Update, pc: class("other", 5, true, ""),
			wantErr: `priorityclasses.scheduling.k8s.io "other" is forbidden: PriorityClass default-one is already marked as default. Only one default can exist`},
		{name: "the default updated", op: admission.Update, pc: class("default-one", 10, true, "")},
		{name: "not a default", op: admission.Create, pc: class("new", 1, false, "")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := &admission.Attributes{Operation: tt.op, Resource: pcGVR, Name: tt.pc.Name, Object: tt.pc}
			err := New(nil, fakeClasses{classes: existing}).Validate(context.Background(), a)
			if tt.wantErr == "" && err != nil {
				t.Fatalf("Validate: %v", err)
			}
			if tt.wantErr != "" && (err == nil || err.Error() != tt.wantErr) {
				t.Fatalf("Validate = %v, want %q", err, tt.wantErr)
			}
		})
	}
}
