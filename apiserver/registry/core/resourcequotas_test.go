package core

import (
	"testing"

	corev1 "k8s.io/api/core/v1"

	"github.com/skiff-dev/skiff/apiserver/storage"
)

func TestResourceQuotaValidate(t *testing.T) {
	tests := []struct {
		name string
		spec corev1.ResourceQuotaSpec
		want []string
	}{
		{"valid", corev1.ResourceQuotaSpec{Hard: rl("pods", "10", "requests.cpu", "2", "count/deployments.apps", "5", "requests.example.com/gpu", "1")}, nil},
		{"names", corev1.ResourceQuotaSpec{Hard: rl("storage", "1Gi", "widgets", "1", "a b", "1")}, []string{
			`spec.hard[storage]: Invalid value: storage: must be a standard resource for quota`,
			`spec.hard[widgets]: Invalid value: widgets: must be a standard resource type or fully qualified`,
			`spec.hard[widgets]: Invalid value: widgets: must be a standard resource for quota`,
			`spec.hard[a b]: Invalid value: a b: name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
			`spec.hard[a b]: Invalid value: a b: must be a standard resource for quota`,
		}},
		{"quantities", corev1.ResourceQuotaSpec{Hard: rl("pods", "1500m", "cpu", "-1")}, []string{
			`spec.hard[pods]: Invalid value: resource.Quantity{i:resource.int64Amount{value:1500, scale:-3}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"1500m", Format:"DecimalSI"}: must be an integer`,
			`spec.hard[cpu]: Invalid value: "-1": must be greater than or equal to 0`,
		}},
		{"scopes", corev1.ResourceQuotaSpec{Hard: rl("requests.storage", "1Gi"), Scopes: []corev1.ResourceQuotaScope{"Terminating", "NotTerminating", "Bogus"}}, []string{
			`spec.scopes: Invalid value: []v1.ResourceQuotaScope{"Terminating", "NotTerminating", "Bogus"}: unsupported scope applied to resource`,
			`spec.scopes: Invalid value: []v1.ResourceQuotaScope{"Terminating", "NotTerminating", "Bogus"}: unsupported scope applied to resource`,
			`spec.scopes: Invalid value: []v1.ResourceQuotaScope{"Terminating", "NotTerminating", "Bogus"}: unsupported scope`,
			`spec.scopes: Invalid value: []v1.ResourceQuotaScope{"Terminating", "NotTerminating", "Bogus"}: conflicting scopes`,
		}},
		{"scope selector", corev1.ResourceQuotaSpec{Hard: rl("pods", "1"), ScopeSelector: &corev1.ScopeSelector{MatchExpressions: []corev1.ScopedResourceSelectorRequirement{
			{ScopeName: "BestEffort", Operator: "In", Values: []string{"x"}},
			{ScopeName: "PriorityClass", Operator: "In"},
		}}}, []string{
			"spec.scopeSelector.matchExpressions.operator: Invalid value: \"In\": must be 'Exists' when scope is any of ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity",
			"spec.scopeSelector.matchExpressions.values: Required value: must be at least one value when `operator` is 'In' or 'NotIn' for scope selector",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkErrs(t, resourceQuotaStrategy{}.Validate(ctx, &corev1.ResourceQuota{Spec: tt.spec}), tt.want...)
		})
	}
}

func TestResourceQuotaUpdateAndStatus(t *testing.T) {
	old := &corev1.ResourceQuota{Spec: corev1.ResourceQuotaSpec{Hard: rl("pods", "1"), Scopes: []corev1.ResourceQuotaScope{"BestEffort"}},
		Status: corev1.ResourceQuotaStatus{Hard: rl("pods", "1")}}
	rq := old.DeepCopy()
	rq.Spec.Scopes = nil
	rq.Status = corev1.ResourceQuotaStatus{}
	resourceQuotaStrategy{}.PrepareForUpdate(ctx, rq, old)
	if len(rq.Status.Hard) != 1 {
		t.Error("update dropped the status")
	}
	checkErrs(t, resourceQuotaStrategy{}.ValidateUpdate(ctx, rq, old),
		"spec.scopes: Invalid value: []v1.ResourceQuotaScope(nil): field is immutable")

	st := old.DeepCopy()
	st.Status.Used = rl("pods", "-2")
	checkErrs(t, resourceQuotaStatusStrategy{}.ValidateUpdate(ctx, st, old),
		`status.used[pods]: Invalid value: "-2": must be greater than or equal to 0`)

	created := old.DeepCopy()
	resourceQuotaStrategy{}.PrepareForCreate(ctx, created)
	if created.Status.Hard != nil || created.Generation != 0 {
		t.Errorf("create kept status or set a generation: %+v", created)
	}
}

func TestResourceQuotaTable(t *testing.T) {
	rq := &corev1.ResourceQuota{ObjectMeta: meta("compute"), Status: corev1.ResourceQuotaStatus{
		Hard: rl("requests.cpu", "1", "limits.memory", "2Gi", "pods", "10", "limits.cpu", "2"),
		Used: rl("requests.cpu", "500m", "pods", "3"),
	}}
	r := resourceQuotasResource(clock)
	checkRows(t, r.Table, []storage.Object{rq}, false, []string{"Name", "Age", "Request", "Limit"},
		[]any{"compute", "5m", "pods: 3/10, requests.cpu: 500m/1", "limits.cpu: 0/2, limits.memory: 0/2Gi"})
}
