package rbac

import (
	"context"

	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	metav1validation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

// Upstream's update validation of every RBAC kind validates the new
// object twice (once on its own, once within the update checks): its
// errors are listed twice, and so are ours.

type roleStrategy struct {
	registry.Plain
	rbacNames
}

func (roleStrategy) Validate(_ context.Context, obj storage.Object) field.ErrorList {
	return validateRules(obj.(*rbacv1.Role).Rules, true)
}

func (s roleStrategy) ValidateUpdate(ctx context.Context, obj, _ storage.Object) field.ErrorList {
	return append(s.Validate(ctx, obj), s.Validate(ctx, obj)...)
}

type clusterRoleStrategy struct {
	registry.Plain
	rbacNames
}

func (clusterRoleStrategy) Validate(_ context.Context, obj storage.Object) field.ErrorList {
	return validateClusterRole(obj.(*rbacv1.ClusterRole), false)
}

// ValidateUpdate tolerates invalid label values in aggregation selectors
// the stored role already had.
func (clusterRoleStrategy) ValidateUpdate(_ context.Context, obj, old storage.Object) field.ErrorList {
	allowInvalid := false
	if agg := old.(*rbacv1.ClusterRole).AggregationRule; agg != nil {
		for i := range agg.ClusterRoleSelectors {
			errs := metav1validation.ValidateLabelSelector(&agg.ClusterRoleSelectors[i], metav1validation.LabelSelectorValidationOptions{}, nil)
			allowInvalid = allowInvalid || len(errs) > 0
		}
	}
	cr := obj.(*rbacv1.ClusterRole)
	return append(validateClusterRole(cr, allowInvalid), validateClusterRole(cr, allowInvalid)...)
}

func validateClusterRole(cr *rbacv1.ClusterRole, allowInvalidLabelValues bool) field.ErrorList {
	errs := validateRules(cr.Rules, false)
	if cr.AggregationRule == nil {
		return errs
	}
	path := field.NewPath("aggregationRule", "clusterRoleSelectors")
	if len(cr.AggregationRule.ClusterRoleSelectors) == 0 {
		errs = append(errs, field.Required(path, "at least one clusterRoleSelector required if aggregationRule is non-nil"))
	}
	opts := metav1validation.LabelSelectorValidationOptions{AllowInvalidLabelValueInSelector: allowInvalidLabelValues}
	for i := range cr.AggregationRule.ClusterRoleSelectors {
		sel := &cr.AggregationRule.ClusterRoleSelectors[i]
		errs = append(errs, metav1validation.ValidateLabelSelector(sel, opts, path.Index(i))...)
		if _, err := metav1.LabelSelectorAsSelector(sel); err != nil {
			errs = append(errs, field.Invalid(path.Index(i), sel, "invalid label selector."))
		}
	}
	return errs
}

func validateRules(rules []rbacv1.PolicyRule, namespaced bool) field.ErrorList {
	var errs field.ErrorList
	for i := range rules {
		errs = append(errs, validatePolicyRule(&rules[i], namespaced, field.NewPath("rules").Index(i))...)
	}
	return errs
}

// validatePolicyRule: verbs, and either resources with their API groups
// or (in cluster roles only) non-resource URLs.
func validatePolicyRule(rule *rbacv1.PolicyRule, namespaced bool, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	if len(rule.Verbs) == 0 {
		errs = append(errs, field.Required(fldPath.Child("verbs"), "verbs must contain at least one value"))
	}
	if len(rule.NonResourceURLs) > 0 {
		if namespaced {
			errs = append(errs, field.Invalid(fldPath.Child("nonResourceURLs"), rule.NonResourceURLs, "namespaced rules cannot apply to non-resource URLs"))
		}
		if len(rule.APIGroups) > 0 || len(rule.Resources) > 0 || len(rule.ResourceNames) > 0 {
			errs = append(errs, field.Invalid(fldPath.Child("nonResourceURLs"), rule.NonResourceURLs, "rules cannot apply to both regular resources and non-resource URLs"))
		}
		return errs
	}
	if len(rule.APIGroups) == 0 {
		errs = append(errs, field.Required(fldPath.Child("apiGroups"), "resource rules must supply at least one api group"))
	}
	if len(rule.Resources) == 0 {
		errs = append(errs, field.Required(fldPath.Child("resources"), "resource rules must supply at least one resource"))
	}
	return errs
}
