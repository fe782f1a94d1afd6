package rbac

import (
	"reflect"
	"testing"

	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func labelled(name string, labels map[string]string, rules ...rbacv1.PolicyRule) *rbacv1.ClusterRole {
	cr := clusterRole(name, rules...)
	cr.Labels = labels
	return cr
}

func TestAggregateRules(t *testing.T) {
	toView := map[string]string{"rbac.authorization.k8s.io/aggregate-to-view": "true"}
	toEdit := map[string]string{"rbac.authorization.k8s.io/aggregate-to-edit": "true"}
	view := &rbacv1.ClusterRole{ObjectMeta: metav1.ObjectMeta{Name: "view", Labels: toEdit},
		AggregationRule: &rbacv1.AggregationRule{ClusterRoleSelectors: []metav1.LabelSelector{{MatchLabels: toView}}}}
	edit := &rbacv1.ClusterRole{ObjectMeta: metav1.ObjectMeta{Name: "edit"},
		AggregationRule: &rbacv1.AggregationRule{ClusterRoleSelectors: []metav1.LabelSelector{{MatchLabels: toEdit}, {MatchLabels: toView}}}}
	readPods := rule([]string{"get"}, []string{""}, []string{"pods"})
	readCRDs := rule([]string{"get"}, []string{"example.com"}, []string{"widgets"})
	writePods := rule([]string{"create"}, []string{""}, []string{"pods"})
	all := []*rbacv1.ClusterRole{
		view, edit,
		labelled("z-crd-viewer", toView, readCRDs, readPods),
		labelled("a-core-viewer", toView, readPods),
		labelled("editor", toEdit, writePods),
		labelled("unrelated", nil, rule([]string{"*"}, []string{"*"}, []string{"*"})),
	}
	got, err := AggregateRules(view, all)
	if err != nil {
		t.Fatal(err)
	}
	if want := []rbacv1.PolicyRule{readPods, readCRDs}; !reflect.DeepEqual(got, want) {
		t.Errorf("view: %+v", got)
	}
	// edit takes view's current rules (view is labelled aggregate-to-edit) and
	// those of the roles selected by its second selector, each once
	viewNow := view.DeepCopy()
	viewNow.Rules = got
	all[0] = viewNow
	got, err = AggregateRules(edit, all)
	if err != nil {
		t.Fatal(err)
	}
	if want := []rbacv1.PolicyRule{writePods, readPods, readCRDs}; !reflect.DeepEqual(got, want) {
		t.Errorf("edit: %+v", got)
	}
	if RulesDiffer(got, []rbacv1.PolicyRule{writePods, readPods, readCRDs}) || !RulesDiffer(nil, got) || RulesDiffer(nil, []rbacv1.PolicyRule{}) {
		t.Error("RulesDiffer")
	}
	// no aggregation rule: rules unchanged
	if got, _ := AggregateRules(all[2], all); !reflect.DeepEqual(got, all[2].Rules) {
		t.Errorf("plain role: %+v", got)
	}
	bad := &rbacv1.ClusterRole{ObjectMeta: metav1.ObjectMeta{Name: "bad"}, AggregationRule: &rbacv1.AggregationRule{
		ClusterRoleSelectors: []metav1.LabelSelector{{MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "x", Operator: "Bogus"}}}}}}
	if _, err := AggregateRules(bad, all); err == nil {
		t.Error("bad selector accepted")
	}
}
