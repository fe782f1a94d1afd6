package policy

import (
	"context"
	"reflect"
	"testing"
	"time"

	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
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

func intOrString(s string) *intstr.IntOrString { v := intstr.Parse(s); return &v }

func budget() *policyv1.PodDisruptionBudget {
	return &policyv1.PodDisruptionBudget{
		ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "default"},
		Spec: policyv1.PodDisruptionBudgetSpec{
			MinAvailable: intOrString("2"),
			Selector:     &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}},
		},
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*policyv1.PodDisruptionBudget)
		want   []string
	}{
		{"valid", func(*policyv1.PodDisruptionBudget) {}, nil},
		{"percent", func(p *policyv1.PodDisruptionBudget) { p.Spec.MinAvailable = intOrString("50%") }, nil},
		{"max unavailable", func(p *policyv1.PodDisruptionBudget) {
			p.Spec.MinAvailable, p.Spec.MaxUnavailable = nil, intOrString("1")
		}, nil},
		{"both", func(p *policyv1.PodDisruptionBudget) { p.Spec.MaxUnavailable = intOrString("1") }, []string{
			"spec: Invalid value: minAvailable and maxUnavailable cannot be both set"}},
		{"negative", func(p *policyv1.PodDisruptionBudget) { p.Spec.MinAvailable = intOrString("-1") }, []string{
			"spec.minAvailable: Invalid value: -1: must be greater than or equal to 0"}},
		{"over 100%", func(p *policyv1.PodDisruptionBudget) { p.Spec.MinAvailable = intOrString("120%") }, []string{
			`spec.minAvailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"120%"}: must not be greater than 100%`}},
		{"not a percent", func(p *policyv1.PodDisruptionBudget) {
			p.Spec.MaxUnavailable, p.Spec.MinAvailable = intOrString("half"), nil
		}, []string{
			`spec.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"half"}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')`}},
		{"eviction policy", func(p *policyv1.PodDisruptionBudget) {
			v := policyv1.UnhealthyPodEvictionPolicyType("Never")
			p.Spec.UnhealthyPodEvictionPolicy = &v
		}, []string{`spec.unhealthyPodEvictionPolicy: Unsupported value: "Never": supported values: "AlwaysAllow", "IfHealthyBudget"`}},
		{"selector", func(p *policyv1.PodDisruptionBudget) {
			p.Spec.Selector.MatchExpressions = []metav1.LabelSelectorRequirement{{Key: "tier", Operator: metav1.LabelSelectorOpExists, Values: []string{"x"}}}
		}, []string{"spec.selector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := budget()
			tt.mutate(p)
			if got := errorStrings(strategy{}.Validate(context.Background(), p)); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("errors\n got  %q\n want %q", got, tt.want)
			}
		})
	}
}

func TestLifecycle(t *testing.T) {
	ctx := context.Background()
	p := budget()
	p.Status.DisruptionsAllowed = 4
	strategy{}.PrepareForCreate(ctx, p)
	if p.Generation != 1 || p.Status.DisruptionsAllowed != 0 {
		t.Fatalf("create: generation %d status %+v", p.Generation, p.Status)
	}
	p.Status.DisruptionsAllowed = 1
	upd := p.DeepCopy()
	upd.Status.DisruptionsAllowed = 9
	strategy{}.PrepareForUpdate(ctx, upd, p)
	if upd.Status.DisruptionsAllowed != 1 {
		t.Fatal("update changed the status")
	}

	st := p.DeepCopy()
	st.Spec.MinAvailable = intOrString("5")
	st.Status = policyv1.PodDisruptionBudgetStatus{DisruptionsAllowed: -1, Conditions: []metav1.Condition{{Type: "DisruptionAllowed", Status: "Maybe"}}}
	statusStrategy{}.PrepareForUpdate(ctx, st, p)
	if st.Spec.MinAvailable.IntValue() != 2 {
		t.Fatal("status update changed the spec")
	}
	got := errorStrings(statusStrategy{}.ValidateUpdate(ctx, st, p))
	want := []string{
		`status.conditions[0].status: Unsupported value: "Maybe": supported values: "False", "True", "Unknown"`,
		"status.conditions[0].lastTransitionTime: Required value: must be set",
		"status.conditions[0].reason: Required value: must be set",
		"status.disruptionsAllowed: Invalid value: -1: must be greater than or equal to 0",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("status errors\n got  %q\n want %q", got, want)
	}
}

func TestTable(t *testing.T) {
	now := time.Date(2024, 8, 1, 12, 0, 0, 0, time.UTC)
	p := budget()
	p.CreationTimestamp = metav1.NewTime(now.Add(-5 * time.Minute))
	p.Status.DisruptionsAllowed = 1
	q := budget()
	q.Name, q.Spec.MinAvailable, q.Spec.MaxUnavailable = "pct", nil, intOrString("25%")
	q.CreationTimestamp = p.CreationTimestamp
	tbl, _ := table(func() time.Time { return now })([]storage.Object{p, q}, true)
	var cols []string
	for _, c := range tbl.ColumnDefinitions {
		cols = append(cols, c.Name)
	}
	if !reflect.DeepEqual(cols, []string{"Name", "Min Available", "Max Unavailable", "Allowed Disruptions", "Age"}) {
		t.Fatalf("columns %v", cols)
	}
	want := [][]any{{"web", "2", "N/A", int64(1), "5m"}, {"pct", "N/A", "25%", int64(0), "5m"}}
	for i, r := range tbl.Rows {
		if !reflect.DeepEqual(r.Cells, want[i]) {
			t.Fatalf("row %d %#v", i, r.Cells)
		}
	}
	if res := Resources()[0]; res.Status == nil || res.ShortNames[0] != "pdb" || res.StoragePrefix != "poddisruptionbudgets" {
		t.Fatalf("resource %+v", res)
	}
}
