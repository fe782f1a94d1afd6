package rbac

import (
	"fmt"
	"sort"

	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
)

// AggregateRules computes the rules of an aggregated ClusterRole (one with
// an aggregationRule) from every ClusterRole, as upstream's
// clusterrole-aggregation controller does: for each selector in order, the
// ClusterRoles it selects, by name, other than target itself, contribute
// their rules, each rule once. The controller writes the result into
// target's rules when it differs (RulesDiffer). A target without an
// aggregationRule keeps its rules.
func AggregateRules(target *rbacv1.ClusterRole, all []*rbacv1.ClusterRole) ([]rbacv1.PolicyRule, error) {
	if target.AggregationRule == nil {
		return target.Rules, nil
	}
	sorted := make([]*rbacv1.ClusterRole, 0, len(all))
	for _, cr := range all {
		if cr != nil {
			sorted = append(sorted, cr)
		}
	}
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Name < sorted[j].Name })

	rules := []rbacv1.PolicyRule{}
	for i := range target.AggregationRule.ClusterRoleSelectors {
		sel, err := metav1.LabelSelectorAsSelector(&target.AggregationRule.ClusterRoleSelectors[i])
		if err != nil {
			return nil, fmt.Errorf("clusterrole %q: aggregation selector: %w", target.Name, err)
		}
		for _, cr := range sorted {
			if cr.Name == target.Name || !sel.Matches(labels.Set(cr.Labels)) {
				continue
			}
			for _, r := range cr.Rules {
				if !containsRule(rules, r) {
					rules = append(rules, r)
				}
			}
		}
	}
	return rules, nil
}

// RulesDiffer says whether aggregated rules differ from those a ClusterRole
// has (nil and empty are the same).
func RulesDiffer(current, aggregated []rbacv1.PolicyRule) bool {
	return !equality.Semantic.DeepEqual(current, aggregated)
}

func containsRule(rules []rbacv1.PolicyRule, r rbacv1.PolicyRule) bool {
	for _, x := range rules {
		if equality.Semantic.DeepEqual(x, r) {
			return true
		}
	}
	return false
}
