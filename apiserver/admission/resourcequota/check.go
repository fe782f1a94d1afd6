package resourcequota

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"

	"github.com/skiff-dev/skiff/apiserver/admission"
)

// checkRequest checks a against quotas and returns them as they would be
// once a is written (copies; the input is not changed), or the refusal,
// worded as upstream.
func checkRequest(quotas []corev1.ResourceQuota, a *admission.Attributes, ev evaluator) ([]corev1.ResourceQuota, error) {
	if !ev.handles(a.Operation) {
		return quotas, nil
	}
	obj := a.Object
	var interesting []int
	for i := range quotas {
		q := &quotas[i]
		match, err := ev.matches(q, obj)
		if err != nil {
			return nil, fmt.Errorf("error matching scopes of quota %s, err: %v", q.Name, err)
		}
		if !match {
			continue
		}
		restricted := ev.matchingResources(names(q.Status.Hard))
		if err := ev.constraints(restricted, obj); err != nil {
			return nil, admission.NewForbidden(a, fmt.Errorf("failed quota: %s: %v", q.Name, err))
		}
		if !hasUsageStats(q, restricted) {
			return nil, admission.NewForbidden(a, fmt.Errorf("status unknown for quota: %s, resources: %s", q.Name, prettyPrintNames(restricted)))
		}
		interesting = append(interesting, i)
	}

	delta, err := ev.usage(obj)
	if err != nil {
		return nil, err
	}
	if neg := negative(delta); len(neg) > 0 {
		return nil, admission.NewForbidden(a, fmt.Errorf("quota usage is negative for resource(s): %s", prettyPrintNames(neg)))
	}
	if a.Operation == admission.Update {
		if a.OldObject == nil {
			return nil, admission.NewForbidden(a, fmt.Errorf("unable to get previous usage since prior version of object was not found"))
		}
		// Charge the difference, unless this update creates the object.
		if m, ok := admission.Accessor(a.OldObject); ok && m.GetResourceVersion() != "" {
			prev, err := ev.usage(a.OldObject)
			if err != nil {
				return nil, err
			}
			delta = subtractNonNegative(delta, prev)
		}
	}
	delta = removeZeros(delta)
	if len(delta) == 0 || len(interesting) == 0 {
		return quotas, nil
	}

	out := make([]corev1.ResourceQuota, len(quotas))
	for i := range quotas {
		out[i] = *quotas[i].DeepCopy()
	}
	for _, i := range interesting {
		q := &out[i]
		requested := mask(delta, names(q.Status.Hard))
		used := add(q.Status.Used, requested)
		if ok, exceeded := lessThanOrEqual(mask(used, names(requested)), q.Status.Hard); !ok {
			return nil, admission.NewForbidden(a, fmt.Errorf("exceeded quota: %s, requested: %s, used: %s, limited: %s",
				q.Name, prettyPrint(mask(requested, exceeded)), prettyPrint(mask(q.Status.Used, exceeded)), prettyPrint(mask(q.Status.Hard, exceeded))))
		}
		q.Status.Used = used
	}
	return out, nil
}

// hasUsageStats: the quota's status has a usage for every limited name of
// interest (the quota controller has computed it).
func hasUsageStats(q *corev1.ResourceQuota, interesting []corev1.ResourceName) bool {
	set := toSet(interesting)
	for n := range q.Status.Hard {
		if !set[n] {
			continue
		}
		if _, ok := q.Status.Used[n]; !ok {
			return false
		}
	}
	return true
}
