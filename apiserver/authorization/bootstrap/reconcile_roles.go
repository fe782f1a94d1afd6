package bootstrap

import (
	"context"
	"errors"
	"fmt"
	"reflect"

	"github.com/skiff-dev/skiff/apiserver/authorization/rbac"
	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// roleUpdate computes what an existing role lacks of expected; changed
// says whether merged (a copy of existing) differs from it.
func roleUpdate(existingMeta *metav1.ObjectMeta, existingRules []rbacv1.PolicyRule, expectedMeta *metav1.ObjectMeta, expectedRules []rbacv1.PolicyRule) (
	meta metav1.ObjectMeta, newRules, missing []rbacv1.PolicyRule, changed bool) {
	meta = *existingMeta.DeepCopy()
	meta.Annotations = merge(expectedMeta.Annotations, existingMeta.Annotations)
	meta.Labels = merge(expectedMeta.Labels, existingMeta.Labels)
	changed = !reflect.DeepEqual(meta.Annotations, existingMeta.Annotations) || !reflect.DeepEqual(meta.Labels, existingMeta.Labels)
	newRules = existingRules
	if _, missing = rbac.Covers(existingRules, expectedRules); len(missing) > 0 {
		newRules = append(append([]rbacv1.PolicyRule{}, existingRules...), missing...)
		changed = true
	}
	return meta, newRules, missing, changed
}

// missingSelectors returns the selectors of expected that existing lacks.
func missingSelectors(existing, expected *rbacv1.AggregationRule) []metav1.LabelSelector {
	if expected == nil {
		return nil
	}
	var missing []metav1.LabelSelector
	for _, want := range expected.ClusterRoleSelectors {
		found := false
		if existing != nil {
			for _, have := range existing.ClusterRoleSelectors {
				if equality.Semantic.DeepEqual(have, want) {
					found = true
					break
				}
			}
		}
		if !found {
			missing = append(missing, want)
		}
	}
	return missing
}

func reconcileClusterRole(ctx context.Context, c Client[*rbacv1.ClusterRole], expected *rbacv1.ClusterRole) (Result, error) {
	res := Result{Kind: "ClusterRole", Name: expected.Name}
	if c == nil {
		return res, errors.New("no client")
	}
	for attempt := 0; attempt < maxAttempts; attempt++ {
		existing, err := c.Get(ctx, "", expected.Name)
		if isNotFound(err) {
			res.Operation, res.MissingRules = OpCreate, expected.Rules
			_, err := c.Create(ctx, expected.DeepCopy())
			if isAlreadyExists(err) {
				continue // created meanwhile: reconcile it
			}
			return res, err
		}
		if err != nil {
			return res, err
		}
		want := existing.DeepCopy()
		var changed bool
		want.ObjectMeta, want.Rules, res.MissingRules, changed = roleUpdate(&existing.ObjectMeta, existing.Rules, &expected.ObjectMeta, expected.Rules)
		switch sel := missingSelectors(existing.AggregationRule, expected.AggregationRule); {
		case expected.AggregationRule == nil && existing.AggregationRule != nil:
			want.AggregationRule, changed = nil, true
		case len(sel) > 0:
			if want.AggregationRule == nil {
				want.AggregationRule = &rbacv1.AggregationRule{}
			}
			want.AggregationRule.ClusterRoleSelectors = append(want.AggregationRule.ClusterRoleSelectors, sel...)
			changed = true
		}
		res.Operation, res.Protected = OpNone, protected(existing.Annotations)
		if !changed {
			return res, nil
		}
		res.Operation = OpUpdate
		if res.Protected {
			return res, nil
		}
		if _, err := c.Update(ctx, want); isNotFound(err) {
			continue // deleted meanwhile: create it
		} else if err != nil {
			return res, err
		}
		return res, nil
	}
	return res, fmt.Errorf("gave up after %d attempts", maxAttempts)
}

func reconcileRole(ctx context.Context, c Clients, expected *rbacv1.Role) (Result, error) {
	res := Result{Kind: "Role", Namespace: expected.Namespace, Name: expected.Name}
	if c.Roles == nil {
		return res, errors.New("no client")
	}
	for attempt := 0; attempt < maxAttempts; attempt++ {
		existing, err := c.Roles.Get(ctx, expected.Namespace, expected.Name)
		if isNotFound(err) {
			res.Operation, res.MissingRules = OpCreate, expected.Rules
			if err := ensureNamespace(ctx, c.Namespaces, expected.Namespace); err != nil {
				return res, err
			}
			_, err := c.Roles.Create(ctx, expected.DeepCopy())
			if isAlreadyExists(err) {
				continue
			}
			return res, err
		}
		if err != nil {
			return res, err
		}
		want := existing.DeepCopy()
		var changed bool
		want.ObjectMeta, want.Rules, res.MissingRules, changed = roleUpdate(&existing.ObjectMeta, existing.Rules, &expected.ObjectMeta, expected.Rules)
		res.Operation, res.Protected = OpNone, protected(existing.Annotations)
		if !changed {
			return res, nil
		}
		res.Operation = OpUpdate
		if res.Protected {
			return res, nil
		}
		if _, err := c.Roles.Update(ctx, want); isNotFound(err) {
			continue
		} else if err != nil {
			return res, err
		}
		return res, nil
	}
	return res, fmt.Errorf("gave up after %d attempts", maxAttempts)
}

func ensureNamespace(ctx context.Context, n NamespaceEnsurer, name string) error {
	if n == nil || name == "" {
		return nil
	}
	if err := n.EnsureNamespace(ctx, name); err != nil && !isAlreadyExists(err) {
		return fmt.Errorf("namespace %s: %w", name, err)
	}
	return nil
}
