package scheduling

import (
	"context"
	"reflect"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	schedulingv1 "k8s.io/api/scheduling/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/storage"
)

func errorStrings(errs field.ErrorList) []string {
	var out []string
	for _, e := range errs {
		out = append(out, e.Error())
	}
	return out
}

func class(name string, value int32) *schedulingv1.PriorityClass {
	pc := &schedulingv1.PriorityClass{ObjectMeta: metav1.ObjectMeta{Name: name}, Value: value}
	strategy{}.Default(pc)
	return pc
}

func TestSystemPriorityClasses(t *testing.T) {
	got := map[string]int32{}
	for _, pc := range SystemPriorityClasses() {
		got[pc.Name] = pc.Value
		if errs := (strategy{}).Validate(context.Background(), pc); len(errs) != 0 {
			t.Fatalf("%s invalid: %v", pc.Name, errs)
		}
		if pc.Description == "" || pc.GlobalDefault || *pc.PreemptionPolicy != corev1.PreemptLowerPriority {
			t.Fatalf("%s: %+v", pc.Name, pc)
		}
	}
	want := map[string]int32{"system-cluster-critical": 2000000000, "system-node-critical": 2000001000}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("system classes %v", got)
	}
	SystemPriorityClasses()[0].Value = 1 // callers get copies
	if SystemPriorityClasses()[0].Value != 2000001000 {
		t.Fatal("SystemPriorityClasses shares its objects")
	}
}

func TestValidate(t *testing.T) {
	never := corev1.PreemptNever
	tests := []struct {
		name string
		pc   *schedulingv1.PriorityClass
		want []string
	}{
		{"user class", class("high", 1000000), nil},
		{"highest user value", class("top", 1000000000), nil},
		{"too high", class("greedy", 1000000001), []string{"value: Forbidden: maximum allowed value of a user defined priority is 1000000000"}},
		{"reserved prefix", class("system-mine", 10), []string{
			"metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class"}},
		{"system class with wrong value", class("system-node-critical", 5), []string{
			"metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: value of system-node-critical PriorityClass must be 2000001000"}},
		{"never preempt", func() *schedulingv1.PriorityClass { pc := class("batch", 1); pc.PreemptionPolicy = &never; return pc }(), nil},
		{"unknown policy", func() *schedulingv1.PriorityClass {
			pc := class("batch", 1)
			p := corev1.PreemptionPolicy("Sometimes")
			pc.PreemptionPolicy = &p
			return pc
		}(), []string{`preemptionPolicy: Unsupported value: "Sometimes": supported values: "PreemptLowerPriority", "Never"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := errorStrings(strategy{}.Validate(context.Background(), tt.pc)); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("errors\n got  %q\n want %q", got, tt.want)
			}
		})
	}
}

func TestValidateUpdate(t *testing.T) {
	old := class("high", 100)
	pc := old.DeepCopy()
	pc.Description, pc.GlobalDefault = "now the default", true
	if errs := (strategy{}).ValidateUpdate(context.Background(), pc, old); len(errs) != 0 {
		t.Fatalf("errors %v", errs)
	}
	never := corev1.PreemptNever
	pc.Value, pc.PreemptionPolicy = 101, &never
	want := []string{"value: Forbidden: may not be changed in an update.", `preemptionPolicy: Invalid value: "Never": field is immutable`}
	if got := errorStrings(strategy{}.ValidateUpdate(context.Background(), pc, old)); !reflect.DeepEqual(got, want) {
		t.Fatalf("errors %q", got)
	}
}

func TestTable(t *testing.T) {
	now := time.Date(2024, 8, 1, 12, 0, 0, 0, time.UTC)
	pc := SystemPriorityClasses()[1]
	pc.CreationTimestamp = metav1.NewTime(now.Add(-10 * 24 * time.Hour))
	tbl, _ := table(func() time.Time { return now })([]storage.Object{pc}, false)
	var cols []string
	for _, c := range tbl.ColumnDefinitions {
		cols = append(cols, c.Name)
	}
	if !reflect.DeepEqual(cols, []string{"Name", "Value", "Global-Default", "Age", "PreemptionPolicy"}) {
		t.Fatalf("columns %v", cols)
	}
	if want := []any{"system-cluster-critical", int64(2000000000), false, "10d", "PreemptLowerPriority"}; !reflect.DeepEqual(tbl.Rows[0].Cells, want) {
		t.Fatalf("cells %#v", tbl.Rows[0].Cells)
	}
	if res := Resources()[0]; res.Namespaced || res.ShortNames[0] != "pc" || res.StoragePrefix != "priorityclasses" {
		t.Fatalf("resource %+v", res)
	}
}
