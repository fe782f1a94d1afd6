package subresource

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/skiff-dev/skiff/apiserver/endpoints"
	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

func eviction(name string, opts *metav1.DeleteOptions) map[string]any {
	e := map[string]any{"apiVersion": "policy/v1", "kind": "Eviction", "metadata": map[string]any{"name": name}}
	if opts != nil {
		e["deleteOptions"] = opts
	}
	return e
}

// running makes a pod Running, ready or not.
func (e *env) running(ns, name string, ready bool) {
	e.t.Helper()
	status := corev1.ConditionFalse
	if ready {
		status = corev1.ConditionTrue
	}
	e.setStatus("pods", ns, name, func(obj storage.Object) {
		p := obj.(*corev1.Pod)
		p.Status.Phase = corev1.PodRunning
		p.Status.Conditions = append(p.Status.Conditions, corev1.PodCondition{Type: corev1.PodReady, Status: status})
	})
}

// budget stores a PodDisruptionBudget selecting app=web whose status
// allows the given disruptions.
func (e *env) budget(ns, name string, allowed int32, change func(*policyv1.PodDisruptionBudget)) {
	e.t.Helper()
	two := intstr.FromInt32(2)
	e.create("poddisruptionbudgets.policy", ns, &policyv1.PodDisruptionBudget{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns},
		Spec:       policyv1.PodDisruptionBudgetSpec{MinAvailable: &two, Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}}},
	})
	e.setStatus("poddisruptionbudgets.policy", ns, name, func(obj storage.Object) {
		pdb := obj.(*policyv1.PodDisruptionBudget)
		pdb.Status = policyv1.PodDisruptionBudgetStatus{
			ObservedGeneration: pdb.Generation, DisruptionsAllowed: allowed,
			CurrentHealthy: 2 + allowed - 1, DesiredHealthy: 2, ExpectedPods: 3,
		}
		if change != nil {
			change(pdb)
		}
	})
}

func onNode(p *corev1.Pod) { p.Spec.NodeName = "n1" }

func TestEviction(t *testing.T) {
	e := newEnv(t)
	ev := NewEviction(zaptest.NewLogger(t), e.codecs, e.store("pods"), e.store("poddisruptionbudgets.policy"))
	ev.retry = backoff{steps: 3, interval: time.Millisecond}
	srv := e.serve(endpoints.WithSubresource(podsGVR, "eviction", ev))
	evict := func(ns, name string, body any) response {
		return post(t, srv, "/api/v1/namespaces/"+ns+"/pods/"+name+"/eviction", body)
	}
	pdbs := e.store("poddisruptionbudgets.policy")

	t.Run("pending pod ignores its budget", func(t *testing.T) {
		e.createPod("pending", "p", nil)
		e.budget("pending", "pdb", 0, nil)
		resp := evict("pending", "p", eviction("p", nil))
		if st := resp.status(t); resp.code != http.StatusCreated || st.Status != metav1.StatusSuccess {
			t.Fatalf("%d %s", resp.code, resp.body)
		}
		if _, err := e.store("pods").Get(context.Background(), "pending", "p"); !apierrors.IsNotFound(err) {
			t.Errorf("an unbound pod is deleted at once: %v", err)
		}
	})

	t.Run("budget exhausted", func(t *testing.T) {
		e.createPod("full", "p", onNode)
		e.running("full", "p", true)
		e.budget("full", "pdb", 0, nil)
		resp := evict("full", "p", eviction("p", nil))
		st := resp.status(t)
		if resp.code != http.StatusTooManyRequests || st.Reason != metav1.StatusReasonTooManyRequests ||
			st.Message != "Cannot evict pod as it would violate the pod's disruption budget." {
			t.Fatalf("%d %s", resp.code, resp.body)
		}
		if st.Details == nil || len(st.Details.Causes) != 1 || st.Details.Causes[0].Type != policyv1.DisruptionBudgetCause ||
			st.Details.Causes[0].Message != "The disruption budget pdb needs 2 healthy pods and has 1 currently" {
			t.Errorf("details %+v", st.Details)
		}
		if p := e.get("pods", "full", "p").(*corev1.Pod); p.DeletionTimestamp != nil {
			t.Error("the pod was deleted despite its budget")
		}
	})

	t.Run("budget allows one", func(t *testing.T) {
		e.createPod("one", "p", onNode)
		e.running("one", "p", true)
		e.budget("one", "pdb", 1, nil)
		if resp := evict("one", "p", eviction("p", nil)); resp.code != http.StatusCreated {
			t.Fatalf("%d %s", resp.code, resp.body)
		}
		pdb := e.get("poddisruptionbudgets.policy", "one", "pdb").(*policyv1.PodDisruptionBudget)
		if _, ok := pdb.Status.DisruptedPods["p"]; pdb.Status.DisruptionsAllowed != 0 || !ok {
			t.Errorf("budget status %+v", pdb.Status)
		}
		if len(pdb.Status.Conditions) != 1 || pdb.Status.Conditions[0].Reason != policyv1.InsufficientPodsReason {
			t.Errorf("budget conditions %+v", pdb.Status.Conditions)
		}
		p := e.get("pods", "one", "p").(*corev1.Pod)
		if p.DeletionTimestamp == nil {
			t.Error("the pod on a node must be marked for graceful deletion")
		}
		if c := condition(p, corev1.DisruptionTarget); c == nil || c.Reason != "EvictionByEvictionAPI" || c.Message != "Eviction API: evicting" {
			t.Errorf("DisruptionTarget condition %+v", c)
		}
		// The next eviction finds the pod terminating: no budget needed.
		if resp := evict("one", "p", eviction("p", nil)); resp.code != http.StatusCreated {
			t.Errorf("evicting a terminating pod: %d %s", resp.code, resp.body)
		}
	})

	t.Run("dry run changes nothing", func(t *testing.T) {
		e.createPod("dry", "p", onNode)
		e.running("dry", "p", true)
		e.budget("dry", "pdb", 1, nil)
		if resp := post(t, srv, "/api/v1/namespaces/dry/pods/p/eviction?dryRun=All", eviction("p", nil)); resp.code != http.StatusCreated {
			t.Fatalf("%d %s", resp.code, resp.body)
		}
		if pdb := e.get("poddisruptionbudgets.policy", "dry", "pdb").(*policyv1.PodDisruptionBudget); pdb.Status.DisruptionsAllowed != 1 {
			t.Errorf("dry run decremented the budget: %+v", pdb.Status)
		}
		if p := e.get("pods", "dry", "p").(*corev1.Pod); p.DeletionTimestamp != nil || condition(p, corev1.DisruptionTarget) != nil {
			t.Error("dry run touched the pod")
		}
		resp := evict("dry", "p", eviction("p", &metav1.DeleteOptions{DryRun: []string{"All"}}))
		if resp.code != http.StatusCreated {
			t.Errorf("dry run in deleteOptions: %d %s", resp.code, resp.body)
		}
	})

	t.Run("unready pod with AlwaysAllow", func(t *testing.T) {
		e.createPod("unready", "p", onNode)
		e.running("unready", "p", false)
		always := policyv1.AlwaysAllow
		two := intstr.FromInt32(2)
		e.create("poddisruptionbudgets.policy", "unready", &policyv1.PodDisruptionBudget{
			ObjectMeta: metav1.ObjectMeta{Name: "pdb"},
			Spec: policyv1.PodDisruptionBudgetSpec{MinAvailable: &two, UnhealthyPodEvictionPolicy: &always,
				Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}}},
		})
		if resp := evict("unready", "p", eviction("p", nil)); resp.code != http.StatusCreated {
			t.Fatalf("%d %s", resp.code, resp.body)
		}
		if p := e.get("pods", "unready", "p").(*corev1.Pod); p.DeletionTimestamp == nil {
			t.Error("the unready pod was not deleted")
		}
	})

	t.Run("refusals", func(t *testing.T) {
		e.createPod("refuse", "p", onNode)
		e.running("refuse", "p", true)
		e.budget("refuse", "a", 1, nil)
		e.budget("refuse", "b", 1, nil)
		resp := evict("refuse", "p", eviction("p", nil))
		if st := resp.status(t); st.Code != http.StatusInternalServerError ||
			st.Message != "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support." {
			t.Errorf("two budgets: %d %s", resp.code, resp.body)
		}
		if _, err := pdbs.Delete(context.Background(), "refuse", "b", nil, registry.WriteOptions{}); err != nil {
			t.Fatal(err)
		}
		// A budget whose spec changed since its status was computed.
		e.setStatus("poddisruptionbudgets.policy", "refuse", "a", func(obj storage.Object) {
			obj.(*policyv1.PodDisruptionBudget).Status.ObservedGeneration = 0
		})
		resp = evict("refuse", "p", eviction("p", nil))
		if st := resp.status(t); resp.code != http.StatusTooManyRequests || resp.header.Get("Retry-After") != "10" ||
			st.Details.Causes[0].Message != "The disruption budget a is still being processed by the server." {
			t.Errorf("stale budget: %d %s", resp.code, resp.body)
		}
		for _, tt := range []struct {
			name, pod string
			body      any
			code      int
			want      string
		}{
			{"name mismatch", "p", eviction("q", nil), http.StatusBadRequest, "name in URL does not match name in Eviction object"},
			{"missing pod", "missing", eviction("missing", nil), http.StatusNotFound, `pods "missing" not found`},
		} {
			resp := evict("refuse", tt.pod, tt.body)
			if st := resp.status(t); resp.code != tt.code || !strings.Contains(st.Message, tt.want) {
				t.Errorf("%s: %d %s", tt.name, resp.code, resp.body)
			}
		}
		resp = post(t, srv, "/api/v1/namespaces/refuse/pods/p/eviction?dryRun=All", eviction("p", &metav1.DeleteOptions{DryRun: []string{"Other"}}))
		if st := resp.status(t); resp.code != http.StatusInternalServerError || !strings.Contains(st.Message, "Non-matching dry-run options") {
			t.Errorf("dry run disagreement: %d %s", resp.code, resp.body)
		}
	})

	t.Run("no budget", func(t *testing.T) {
		e.createPod("free", "p", onNode)
		e.running("free", "p", true)
		rv := e.get("pods", "free", "p").GetResourceVersion()
		stale := "1"
		resp := evict("free", "p", eviction("p", &metav1.DeleteOptions{Preconditions: &metav1.Preconditions{ResourceVersion: &stale}}))
		if st := resp.status(t); resp.code != http.StatusConflict || !strings.Contains(st.Message, "the ResourceVersion in the precondition (1) does not match the ResourceVersion in record ("+rv+")") {
			t.Errorf("stale precondition: %d %s", resp.code, resp.body)
		}
		if resp := evict("free", "p", eviction("p", &metav1.DeleteOptions{Preconditions: &metav1.Preconditions{ResourceVersion: &rv}})); resp.code != http.StatusCreated {
			t.Fatalf("%d %s", resp.code, resp.body)
		}
		if p := e.get("pods", "free", "p").(*corev1.Pod); p.DeletionTimestamp == nil {
			t.Error("the pod was not deleted")
		}
	})
}
