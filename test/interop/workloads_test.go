package interop

import (
	"context"
	"fmt"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"
)

// template is a pod template labelled app=<app>.
func template(app string) corev1.PodTemplateSpec {
	return corev1.PodTemplateSpec{
		ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": app}},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "app", Image: "registry.local/" + app + ":1"}}},
	}
}

// testStatefulSetsDaemonSetsAndBudgets: the StatefulSet controller makes
// its ordinal pods and a ControllerRevision; the DaemonSet controller a pod
// for the Ready node; the disruption controller a PodDisruptionBudget's
// status.
func testStatefulSetsDaemonSetsAndBudgets(t *testing.T, c *cluster) {
	ctx := context.Background()
	ns := "workloads"
	c.namespace(ctx, ns)
	sts := &appsv1.StatefulSet{
		ObjectMeta: metav1.ObjectMeta{Name: "db"},
		Spec: appsv1.StatefulSetSpec{
			Replicas: ptr.To(int32(2)), ServiceName: "db",
			// Parallel: no kubelet makes web-0 Ready before web-1.
			PodManagementPolicy: appsv1.ParallelPodManagement,
			Selector:            &metav1.LabelSelector{MatchLabels: map[string]string{"app": "db"}},
			Template:            template("db"),
		},
	}
	if _, err := c.admin.AppsV1().StatefulSets(ns).Create(ctx, sts, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	c.eventually("pods db-0 and db-1 and a ControllerRevision", func() (bool, string) {
		_, err0 := c.admin.CoreV1().Pods(ns).Get(ctx, "db-0", metav1.GetOptions{})
		_, err1 := c.admin.CoreV1().Pods(ns).Get(ctx, "db-1", metav1.GetOptions{})
		revs, err := c.admin.AppsV1().ControllerRevisions(ns).List(ctx, metav1.ListOptions{LabelSelector: "app=db"})
		if err != nil {
			return false, err.Error()
		}
		return err0 == nil && err1 == nil && len(revs.Items) == 1, fmt.Sprintf("db-0: %v, db-1: %v, %d revisions", err0, err1, len(revs.Items))
	})

	ds := &appsv1.DaemonSet{
		ObjectMeta: metav1.ObjectMeta{Name: "agent"},
		Spec: appsv1.DaemonSetSpec{
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "agent"}},
			Template: template("agent"),
		},
	}
	if _, err := c.admin.AppsV1().DaemonSets(ns).Create(ctx, ds, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	c.eventually("a DaemonSet pod for every Ready node", func() (bool, string) {
		nodes, err := c.admin.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
		if err != nil {
			return false, err.Error()
		}
		pods, err := c.admin.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{LabelSelector: "app=agent"})
		if err != nil {
			return false, err.Error()
		}
		return len(nodes.Items) > 0 && len(pods.Items) == len(nodes.Items), fmt.Sprintf("%d pods for %d nodes", len(pods.Items), len(nodes.Items))
	})

	pdb := &policyv1.PodDisruptionBudget{
		ObjectMeta: metav1.ObjectMeta{Name: "db"},
		Spec: policyv1.PodDisruptionBudgetSpec{MinAvailable: ptr.To(intstr.FromInt32(1)),
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "db"}}},
	}
	if _, err := c.admin.PolicyV1().PodDisruptionBudgets(ns).Create(ctx, pdb, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	c.eventually("the disruption controller counts the budget's pods", func() (bool, string) {
		p, err := c.admin.PolicyV1().PodDisruptionBudgets(ns).Get(ctx, "db", metav1.GetOptions{})
		if err != nil {
			return false, err.Error()
		}
		return p.Status.ExpectedPods == 2 && p.Status.ObservedGeneration == p.Generation, fmt.Sprintf("status %+v", p.Status)
	})
}
