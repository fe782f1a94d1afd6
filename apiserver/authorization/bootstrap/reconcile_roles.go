package bootstrap

import (
	"slices"

	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/skiff-dev/skiff/apiserver/authorization/rbac"
)

// clusterRoles reconciles ClusterRoles: rules and aggregation selectors
// are added; an aggregationRule expected to be absent is removed.
var clusterRoles = roleKind("ClusterRole", false,
	func(r *rbacv1.ClusterRole) *[]rbacv1.PolicyRule { return &r.Rules }, mergeAggregation)

// roles reconciles Roles: rules are added.
var roles = roleKind("Role", true,
	func(r *rbacv1.Role) *[]rbacv1.PolicyRule { return &r.Rules }, nil)

// roleKind is a kind of role whose rules rulesOf points at: an existing
// role gains the rules it lacks, then what extra (when set) adds.
func roleKind[T rbacObject[T]](kind string, namespaced bool, rulesOf func(T) *[]rbacv1.PolicyRule, extra func(want, expected T) bool) reconcileKind[T] {
	return reconcileKind[T]{
		kind:       kind,
		namespaced: namespaced,
		content:    func(expected T) additions { return additions{rules: *rulesOf(expected)} },
		merge: func(want, expected T) (additions, bool) {
			var added additions
			rules := rulesOf(want)
			*rules, added.rules = mergeRules(*rules, *rulesOf(expected))
			changed := len(added.rules) > 0
			if extra != nil && extra(want, expected) {
				changed = true
			}
			return added, changed
		},
	}
}

// mergeRules returns have with the rules of want it does not cover
// appended (in a new slice), and those rules.
func mergeRules(have, want []rbacv1.PolicyRule) (rules, missing []rbacv1.PolicyRule) {
	if _, missing = rbac.Covers(have, want); len(missing) > 0 {
		return append(append([]rbacv1.PolicyRule{}, have...), missing...), missing
	}
	return have, missing
}

// mergeAggregation gives want (a copy of the existing ClusterRole) the
// aggregation selectors of expected it lacks, or removes its
// aggregationRule when expected has none, and says whether it did.
func mergeAggregation(want, expected *rbacv1.ClusterRole) bool {
	switch sel := missingSelectors(want.AggregationRule, expected.AggregationRule); {
	case expected.AggregationRule == nil && want.AggregationRule != nil:
		want.AggregationRule = nil
		return true
	case len(sel) > 0:
		if want.AggregationRule == nil {
			want.AggregationRule = &rbacv1.AggregationRule{}
		}
		want.AggregationRule.ClusterRoleSelectors = append(want.AggregationRule.ClusterRoleSelectors, sel...)
		return true
	}
	return false
}

// missingSelectors returns the selectors of expected that existing lacks.
func missingSelectors(existing, expected *rbacv1.AggregationRule) []metav1.LabelSelector {
	if expected == nil {
		return nil
	}
	var have []metav1.LabelSelector
	if existing != nil {
		have = existing.ClusterRoleSelectors
	}
	var missing []metav1.LabelSelector
	for _, want := range expected.ClusterRoleSelectors {
		if !slices.ContainsFunc(have, func(h metav1.LabelSelector) bool { return equality.Semantic.DeepEqual(h, want) }) {
			missing = append(missing, want)
		}
	}
	return missing
}
