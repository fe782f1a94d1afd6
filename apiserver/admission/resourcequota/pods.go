package resourcequota

import (
	"fmt"
	"sort"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/selection"
	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/skiff-dev/skiff/apiserver/admission"
	"github.com/skiff-dev/skiff/apiserver/admission/podresources"
)

var podCountName = ObjectCountName(schema.GroupResource{Resource: "pods"})

// podResources are the quota names pods use (besides hugepages and
// extended resources).
var podResources = []corev1.ResourceName{
	podCountName,
	corev1.ResourceCPU,
	corev1.ResourceMemory,
	corev1.ResourceEphemeralStorage,
	corev1.ResourceRequestsCPU,
	corev1.ResourceRequestsMemory,
	corev1.ResourceRequestsEphemeralStorage,
	corev1.ResourceLimitsCPU,
	corev1.ResourceLimitsMemory,
	corev1.ResourceLimitsEphemeralStorage,
	corev1.ResourcePods,
}

// explicitResources must be requested by every container when a quota
// limits them (upstream's backward-compatible rule).
var explicitResources = []corev1.ResourceName{
	corev1.ResourceCPU, corev1.ResourceMemory,
	corev1.ResourceRequestsCPU, corev1.ResourceRequestsMemory,
	corev1.ResourceLimitsCPU, corev1.ResourceLimitsMemory,
}

// podEvaluator counts pods and their compute resources, on create (a
// pod's resources cannot change afterwards).
type podEvaluator struct {
	now func() time.Time
}

func (*podEvaluator) handles(op admission.Operation) bool { return op == admission.Create }

func (e *podEvaluator) matches(q *corev1.ResourceQuota, obj runtime.Object) (bool, error) {
	return matches(q, obj, e.matchingResources, podMatchesScope)
}

func (*podEvaluator) matchingResources(input []corev1.ResourceName) []corev1.ResourceName {
	out := intersection(input, podResources)
	for _, n := range input {
		s := string(n)
		if strings.HasPrefix(s, corev1.ResourceHugePagesPrefix) || strings.HasPrefix(s, corev1.ResourceRequestsHugePagesPrefix) {
			out = append(out, n)
		}
		if strings.HasPrefix(s, corev1.DefaultResourceRequestsPrefix) && isExtendedResourceName(corev1.ResourceName(strings.TrimPrefix(s, corev1.DefaultResourceRequestsPrefix))) {
			out = append(out, n)
		}
	}
	return out
}

// constraints: when a quota limits cpu or memory, every container must
// state the matching request or limit.
func (*podEvaluator) constraints(required []corev1.ResourceName, obj runtime.Object) error {
	pod, ok := obj.(*corev1.Pod)
	if !ok || pod == nil {
		return fmt.Errorf("unexpected type %T", obj)
	}
	requiredSet := toSet(intersection(required, explicitResources))
	missing := map[corev1.ResourceName]map[string]bool{}
	for _, containers := range [][]corev1.Container{pod.Spec.Containers, pod.Spec.InitContainers} {
		for _, c := range containers {
			have := computeUsage(c.Resources.Requests, c.Resources.Limits)
			for n := range requiredSet {
				if _, ok := have[n]; ok {
					continue
				}
				if missing[n] == nil {
					missing[n] = map[string]bool{}
				}
				missing[n][c.Name] = true
			}
		}
	}
	if len(missing) == 0 {
		return nil
	}
	var resources []string
	for n := range missing {
		resources = append(resources, string(n))
	}
	sort.Strings(resources)
	msgs := make([]string, len(resources))
	for i, r := range resources {
		var containers []string
		for c := range missing[corev1.ResourceName(r)] {
			containers = append(containers, c)
		}
		sort.Strings(containers)
		msgs[i] = fmt.Sprintf("%s for: %s", r, strings.Join(containers, ","))
	}
	return fmt.Errorf("must specify %s", strings.Join(msgs, "; "))
}

func (e *podEvaluator) usage(obj runtime.Object) (corev1.ResourceList, error) {
	pod, ok := obj.(*corev1.Pod)
	if !ok || pod == nil {
		return nil, fmt.Errorf("unexpected type %T", obj)
	}
	// count/pods counts every stored pod; the rest only pods that still run.
	out := corev1.ResourceList{podCountName: *resource.NewQuantity(1, resource.DecimalSI)}
	if !e.counted(pod) {
		return out, nil
	}
	return add(out, computeUsage(podresources.Requests(pod, true), podresources.Limits(pod, true))), nil
}

// counted: terminal pods, and pods past their deletion grace period, do
// not use compute quota.
func (e *podEvaluator) counted(pod *corev1.Pod) bool {
	if pod.Status.Phase == corev1.PodFailed || pod.Status.Phase == corev1.PodSucceeded {
		return false
	}
	if pod.DeletionTimestamp != nil && pod.DeletionGracePeriodSeconds != nil {
		grace := time.Duration(*pod.DeletionGracePeriodSeconds) * time.Second
		if e.now().After(pod.DeletionTimestamp.Time.Add(grace)) {
			return false
		}
	}
	return true
}

// computeUsage is the quota usage of the given requests and limits: one
// pod, cpu, memory and ephemeral storage under their plain, requests. and
// limits. names, hugepages, and extended resources as requests.<name>.
func computeUsage(requests, limits corev1.ResourceList) corev1.ResourceList {
	out := corev1.ResourceList{corev1.ResourcePods: resource.MustParse("1")}
	for _, r := range []struct{ name, req, lim corev1.ResourceName }{
		{corev1.ResourceCPU, corev1.ResourceRequestsCPU, corev1.ResourceLimitsCPU},
		{corev1.ResourceMemory, corev1.ResourceRequestsMemory, corev1.ResourceLimitsMemory},
		{corev1.ResourceEphemeralStorage, corev1.ResourceRequestsEphemeralStorage, corev1.ResourceLimitsEphemeralStorage},
	} {
		if q, ok := requests[r.name]; ok {
			out[r.name] = q
			out[r.req] = q
		}
		if q, ok := limits[r.name]; ok {
			out[r.lim] = q
		}
	}
	for n, q := range requests {
		if strings.HasPrefix(string(n), corev1.ResourceHugePagesPrefix) {
			out[n] = q
			out[corev1.ResourceName(corev1.DefaultResourceRequestsPrefix+string(n))] = q
		}
		if isExtendedResourceName(n) {
			out[corev1.ResourceName(corev1.DefaultResourceRequestsPrefix+string(n))] = q
		}
	}
	return out
}

// isExtendedResourceName: a name in a domain other than kubernetes.io,
// not already a requests. name, valid as a quota name once prefixed.
func isExtendedResourceName(n corev1.ResourceName) bool {
	s := string(n)
	native := !strings.Contains(s, "/") || strings.Contains(s, corev1.ResourceDefaultNamespacePrefix)
	if native || strings.HasPrefix(s, corev1.DefaultResourceRequestsPrefix) {
		return false
	}
	return len(validation.IsQualifiedName(corev1.DefaultResourceRequestsPrefix+s)) == 0
}

// podMatchesScope says whether the pod is in the quota scope s.
func podMatchesScope(s corev1.ScopedResourceSelectorRequirement, obj runtime.Object) (bool, error) {
	pod, ok := obj.(*corev1.Pod)
	if !ok || pod == nil {
		return false, fmt.Errorf("unexpected type %T", obj)
	}
	switch s.ScopeName {
	case corev1.ResourceQuotaScopeTerminating:
		return terminating(pod), nil
	case corev1.ResourceQuotaScopeNotTerminating:
		return !terminating(pod), nil
	case corev1.ResourceQuotaScopeBestEffort:
		return bestEffort(pod), nil
	case corev1.ResourceQuotaScopeNotBestEffort:
		return !bestEffort(pod), nil
	case corev1.ResourceQuotaScopePriorityClass:
		if s.Operator == corev1.ScopeSelectorOpExists {
			return pod.Spec.PriorityClassName != "", nil
		}
		return priorityClassMatches(pod, s)
	case corev1.ResourceQuotaScopeCrossNamespacePodAffinity:
		return crossNamespaceAffinity(pod), nil
	}
	return false, nil
}

func terminating(pod *corev1.Pod) bool {
	return pod.Spec.ActiveDeadlineSeconds != nil && *pod.Spec.ActiveDeadlineSeconds >= 0
}

// bestEffort: no container requests or limits any cpu or memory.
func bestEffort(pod *corev1.Pod) bool {
	for _, containers := range [][]corev1.Container{pod.Spec.Containers, pod.Spec.InitContainers} {
		for _, c := range containers {
			for _, l := range []corev1.ResourceList{c.Resources.Requests, c.Resources.Limits} {
				for _, n := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
					if q, ok := l[n]; ok && q.Sign() > 0 {
						return false
					}
				}
			}
		}
	}
	return true
}

func priorityClassMatches(pod *corev1.Pod, s corev1.ScopedResourceSelectorRequirement) (bool, error) {
	ops := map[corev1.ScopeSelectorOperator]selection.Operator{
		corev1.ScopeSelectorOpIn: selection.In, corev1.ScopeSelectorOpNotIn: selection.NotIn,
		corev1.ScopeSelectorOpExists: selection.Exists, corev1.ScopeSelectorOpDoesNotExist: selection.DoesNotExist,
	}
	op, ok := ops[s.Operator]
	if !ok {
		return false, fmt.Errorf("failed to parse and convert selector: %q is not a valid scope selector operator", s.Operator)
	}
	req, err := labels.NewRequirement(string(s.ScopeName), op, s.Values)
	if err != nil {
		return false, fmt.Errorf("failed to parse and convert selector: %w", err)
	}
	var set labels.Set
	if pod.Spec.PriorityClassName != "" {
		set = labels.Set{string(corev1.ResourceQuotaScopePriorityClass): pod.Spec.PriorityClassName}
	}
	return labels.NewSelector().Add(*req).Matches(set), nil
}

// crossNamespaceAffinity: a pod (anti-)affinity term names namespaces or
// selects them.
func crossNamespaceAffinity(pod *corev1.Pod) bool {
	if pod.Spec.Affinity == nil {
		return false
	}
	cross := func(t *corev1.PodAffinityTerm) bool { return len(t.Namespaces) > 0 || t.NamespaceSelector != nil }
	var required []corev1.PodAffinityTerm
	var preferred []corev1.WeightedPodAffinityTerm
	if a := pod.Spec.Affinity.PodAffinity; a != nil {
		required = append(required, a.RequiredDuringSchedulingIgnoredDuringExecution...)
		preferred = append(preferred, a.PreferredDuringSchedulingIgnoredDuringExecution...)
	}
	if a := pod.Spec.Affinity.PodAntiAffinity; a != nil {
		required = append(required, a.RequiredDuringSchedulingIgnoredDuringExecution...)
		preferred = append(preferred, a.PreferredDuringSchedulingIgnoredDuringExecution...)
	}
	for i := range required {
		if cross(&required[i]) {
			return true
		}
	}
	for i := range preferred {
		if cross(&preferred[i].PodAffinityTerm) {
			return true
		}
	}
	return false
}
