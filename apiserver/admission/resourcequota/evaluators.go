package resourcequota

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/skiff-dev/skiff/apiserver/admission"
)

// evaluator knows what objects of one resource cost in quota.
type evaluator interface {
	// handles says whether op can change the resource's usage.
	handles(op admission.Operation) bool
	// matches says whether quota q applies to obj: it limits one of the
	// resource's names and all its scopes match obj.
	matches(q *corev1.ResourceQuota, obj runtime.Object) (bool, error)
	// matchingResources are the names among input this resource uses.
	matchingResources(input []corev1.ResourceName) []corev1.ResourceName
	// constraints refuses obj when a quota of the required names cannot
	// account for it.
	constraints(required []corev1.ResourceName, obj runtime.Object) error
	// usage is what obj costs.
	usage(obj runtime.Object) (corev1.ResourceList, error)
}

// ObjectCountName is the quota name counting objects of gr:
// count/<resource>[.<group>].
func ObjectCountName(gr schema.GroupResource) corev1.ResourceName {
	if gr.Group == "" {
		return corev1.ResourceName("count/" + gr.Resource)
	}
	return corev1.ResourceName("count/" + gr.Resource + "." + gr.Group)
}

// ignoredResources are never counted: virtual resources and events (as
// upstream).
var ignoredResources = map[schema.GroupResource]bool{
	{Resource: "bindings"}:                                                 true,
	{Resource: "componentstatuses"}:                                        true,
	{Resource: "events"}:                                                   true,
	{Group: "events.k8s.io", Resource: "events"}:                           true,
	{Group: "authentication.k8s.io", Resource: "tokenreviews"}:             true,
	{Group: "authentication.k8s.io", Resource: "selfsubjectreviews"}:       true,
	{Group: "authorization.k8s.io", Resource: "subjectaccessreviews"}:      true,
	{Group: "authorization.k8s.io", Resource: "selfsubjectaccessreviews"}:  true,
	{Group: "authorization.k8s.io", Resource: "localsubjectaccessreviews"}: true,
	{Group: "authorization.k8s.io", Resource: "selfsubjectrulesreviews"}:   true,
}

// legacyAliases are the older names of some object counts.
var legacyAliases = map[schema.GroupResource]corev1.ResourceName{
	{Resource: "configmaps"}:             corev1.ResourceConfigMaps,
	{Resource: "resourcequotas"}:         corev1.ResourceQuotas,
	{Resource: "replicationcontrollers"}: corev1.ResourceReplicationControllers,
	{Resource: "secrets"}:                corev1.ResourceSecrets,
}

// evaluatorFor returns the evaluator of gr: pods, services and claims have
// their own; every other resource is counted.
func evaluatorFor(gr schema.GroupResource, pods *podEvaluator) evaluator {
	switch gr {
	case schema.GroupResource{Resource: "pods"}:
		return pods
	case schema.GroupResource{Resource: "services"}:
		return serviceEvaluator{}
	case schema.GroupResource{Resource: "persistentvolumeclaims"}:
		return pvcEvaluator{}
	}
	names := []corev1.ResourceName{ObjectCountName(gr)}
	if alias, ok := legacyAliases[gr]; ok {
		names = append(names, alias)
	}
	return countEvaluator{names: names}
}

// countEvaluator counts objects on create.
type countEvaluator struct {
	names []corev1.ResourceName
}

func (e countEvaluator) handles(op admission.Operation) bool { return op == admission.Create }

func (e countEvaluator) matches(q *corev1.ResourceQuota, obj runtime.Object) (bool, error) {
	return matches(q, obj, e.matchingResources, noScope)
}

func (e countEvaluator) matchingResources(input []corev1.ResourceName) []corev1.ResourceName {
	return intersection(input, e.names)
}

func (e countEvaluator) constraints([]corev1.ResourceName, runtime.Object) error { return nil }

func (e countEvaluator) usage(runtime.Object) (corev1.ResourceList, error) {
	out := corev1.ResourceList{}
	for _, n := range e.names {
		out[n] = *resource.NewQuantity(1, resource.DecimalSI)
	}
	return out, nil
}

// scopeFunc says whether obj is in a quota's scope.
type scopeFunc func(s corev1.ScopedResourceSelectorRequirement, obj runtime.Object) (bool, error)

// noScope: only pods have scopes; a scoped quota matches nothing else.
func noScope(corev1.ScopedResourceSelectorRequirement, runtime.Object) (bool, error) {
	return false, nil
}

// matches: q limits one of the names the evaluator uses, and every scope
// of q matches obj.
func matches(q *corev1.ResourceQuota, obj runtime.Object, matching func([]corev1.ResourceName) []corev1.ResourceName, scope scopeFunc) (bool, error) {
	if q == nil {
		return false, fmt.Errorf("expected non-nil quota")
	}
	match := len(matching(names(q.Status.Hard))) > 0
	for _, s := range scopeSelectors(q) {
		in, err := scope(s, obj)
		if err != nil {
			return false, err
		}
		match = match && in
	}
	return match, nil
}

// scopeSelectors are q's scopes (as Exists requirements) and its scope
// selector's requirements.
func scopeSelectors(q *corev1.ResourceQuota) []corev1.ScopedResourceSelectorRequirement {
	var out []corev1.ScopedResourceSelectorRequirement
	for _, s := range q.Spec.Scopes {
		out = append(out, corev1.ScopedResourceSelectorRequirement{ScopeName: s, Operator: corev1.ScopeSelectorOpExists})
	}
	if q.Spec.ScopeSelector != nil {
		out = append(out, q.Spec.ScopeSelector.MatchExpressions...)
	}
	return out
}
