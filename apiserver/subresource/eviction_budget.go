package subresource

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	apimeta "k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

// MaxDisruptedPodSize is upstream's bound on a budget's disruptedPods: past
// it evictions are refused until the disruption controller catches up.
const MaxDisruptedPodSize = 2000

// Budgets reads and updates PodDisruptionBudgets.
type Budgets interface {
	// Objects returns a namespace's budgets, shared: never changed.
	Objects(ctx context.Context, namespace string) ([]storage.Object, error)
	Updater
}

// checkBudgets applies the budget selecting pod, when there is one: an
// unready pod may go without it when its policy or the budget's health
// allows (unhealthyOK); otherwise one allowed disruption is taken, or the
// eviction refused. status, when set, is the answer (more than one
// budget).
func (e *Eviction) checkBudgets(ctx context.Context, pod *corev1.Pod, dry bool) (budget string, unhealthyOK bool, status *metav1.Status, err error) {
	pdbs, err := e.matchingBudgets(ctx, pod)
	if err != nil {
		return "", false, nil, err
	}
	switch len(pdbs) {
	case 0:
		return "", false, nil, nil
	case 1:
	default:
		return "", false, &metav1.Status{
			Status:  metav1.StatusFailure,
			Message: "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.",
			Code:    http.StatusInternalServerError,
		}, nil
	}
	pdb := pdbs[0]
	if !podReady(pod) {
		if p := pdb.Spec.UnhealthyPodEvictionPolicy; p != nil && *p == policyv1.AlwaysAllow {
			return pdb.Name, true, nil, nil
		}
		if pdb.Status.CurrentHealthy >= pdb.Status.DesiredHealthy && pdb.Status.DesiredHealthy > 0 {
			return pdb.Name, true, nil, nil
		}
	}
	_, _, err = e.budgets.Update(ctx, pod.Namespace, pdb.Name, "status", func(_ context.Context, current storage.Object) (storage.Object, error) {
		cur, ok := current.(*policyv1.PodDisruptionBudget)
		if !ok {
			return nil, apierrors.NewInternalError(fmt.Errorf("poddisruptionbudget %s/%s: unexpected object %T", pod.Namespace, pdb.Name, current))
		}
		return e.takeDisruption(cur.DeepCopy(), pod.Name, dry)
	}, registry.WriteOptions{DryRun: dry})
	return pdb.Name, false, nil, err
}

// matchingBudgets returns the budgets of pod's namespace whose selector
// matches it (a nil or invalid selector matches nothing, an empty one
// everything).
func (e *Eviction) matchingBudgets(ctx context.Context, pod *corev1.Pod) ([]*policyv1.PodDisruptionBudget, error) {
	objs, err := e.budgets.Objects(ctx, pod.Namespace)
	if err != nil {
		return nil, err
	}
	var out []*policyv1.PodDisruptionBudget
	for _, o := range objs {
		pdb, ok := o.(*policyv1.PodDisruptionBudget)
		if !ok || pdb.Namespace != pod.Namespace {
			continue
		}
		sel, err := metav1.LabelSelectorAsSelector(pdb.Spec.Selector)
		if err != nil || !sel.Matches(labels.Set(pod.Labels)) {
			continue
		}
		out = append(out, pdb)
	}
	return out, nil
}

// takeDisruption is upstream's checkAndDecrement on the stored budget.
func (e *Eviction) takeDisruption(pdb *policyv1.PodDisruptionBudget, podName string, dry bool) (*policyv1.PodDisruptionBudget, error) {
	forbidden := func(msg string) error {
		return apierrors.NewForbidden(schema.GroupResource{Group: policyv1.GroupName, Resource: "poddisruptionbudget"}, pdb.Name, errors.New(msg))
	}
	switch st := &pdb.Status; {
	case st.ObservedGeneration < pdb.Generation:
		return nil, stillProcessing(pdb.Name)
	case st.DisruptionsAllowed < 0:
		return nil, forbidden("pdb disruptions allowed is negative")
	case len(st.DisruptedPods) > MaxDisruptedPodSize:
		return nil, forbidden("DisruptedPods map too big - too many evictions not confirmed by PDB controller")
	case st.DisruptionsAllowed == 0:
		return nil, budgetViolated(0, fmt.Sprintf("The disruption budget %s needs %d healthy pods and has %d currently", pdb.Name, st.DesiredHealthy, st.CurrentHealthy))
	}
	pdb.Status.DisruptionsAllowed--
	if pdb.Status.DisruptionsAllowed == 0 {
		apimeta.SetStatusCondition(&pdb.Status.Conditions, metav1.Condition{
			Type: policyv1.DisruptionAllowedCondition, Status: metav1.ConditionFalse,
			Reason: policyv1.InsufficientPodsReason, ObservedGeneration: pdb.Status.ObservedGeneration,
			LastTransitionTime: metav1.NewTime(e.now().Truncate(time.Second)),
		})
	}
	if dry {
		return pdb, nil
	}
	if pdb.Status.DisruptedPods == nil {
		pdb.Status.DisruptedPods = map[string]metav1.Time{}
	}
	// The disruption controller must not count the pod as available
	// while it goes; it forgets the entry if the pod stays.
	pdb.Status.DisruptedPods[podName] = metav1.NewTime(e.now())
	return pdb, nil
}

// budgetViolated is the 429 an eviction that would violate a budget gets.
func budgetViolated(retryAfter int, cause string) error {
	err := apierrors.NewTooManyRequests("Cannot evict pod as it would violate the pod's disruption budget.", retryAfter)
	err.ErrStatus.Details.Causes = append(err.ErrStatus.Details.Causes, metav1.StatusCause{Type: policyv1.DisruptionBudgetCause, Message: cause})
	return err
}

// stillProcessing: the budget's status does not reflect its spec yet.
func stillProcessing(name string) error {
	return budgetViolated(10, fmt.Sprintf("The disruption budget %s is still being processed by the server.", name))
}
