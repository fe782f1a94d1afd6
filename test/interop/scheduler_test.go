package interop

import (
	"context"
	"fmt"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/client-go/util/retry"
)

// startScheduler runs upstream's kube-scheduler as system:kube-scheduler,
// electing its leader on skiff's Leases.
func (c *cluster) startScheduler() *daemon {
	kc := c.kubeconfig("scheduler", schedulerToken)
	return c.startUpstream("kube-scheduler", "--kubeconfig="+kc, "--secure-port=0",
		"--leader-elect=true", "--v=2")
}

// readyNode creates a Ready node with room for pods (no kubelet runs: the
// node is only a scheduling target).
func (c *cluster) readyNode(ctx context.Context, name string, labels map[string]string) {
	c.t.Helper()
	node := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels}}
	if _, err := c.admin.CoreV1().Nodes().Create(ctx, node, metav1.CreateOptions{}); err != nil {
		c.t.Fatal(err)
	}
	capacity := corev1.ResourceList{
		corev1.ResourceCPU: resource.MustParse("4"), corev1.ResourceMemory: resource.MustParse("8Gi"),
		corev1.ResourcePods: resource.MustParse("110"),
	}
	// The controller manager's node controllers write the new node too.
	err := retry.RetryOnConflict(retry.DefaultRetry, func() error {
		node, err := c.admin.CoreV1().Nodes().Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			return err
		}
		node.Status = corev1.NodeStatus{
			Capacity: capacity, Allocatable: capacity,
			Conditions: []corev1.NodeCondition{{Type: corev1.NodeReady, Status: corev1.ConditionTrue,
				Reason: "KubeletReady", LastHeartbeatTime: metav1.Now(), LastTransitionTime: metav1.Now()}},
		}
		_, err = c.admin.CoreV1().Nodes().UpdateStatus(ctx, node, metav1.UpdateOptions{})
		return err
	})
	if err != nil {
		c.t.Fatal(err)
	}
}

func testPod(name string, nodeSelector map[string]string) *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec: corev1.PodSpec{
			NodeSelector: nodeSelector,
			Containers: []corev1.Container{{Name: "app", Image: "registry.local/app:1",
				Resources: corev1.ResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("100m")}}}},
		},
	}
}

// testScheduler: upstream's scheduler binds pods that fit to a node, with
// a Scheduled event, and marks those that fit nowhere Unschedulable, with a
// FailedScheduling event.
func testScheduler(t *testing.T, c *cluster) {
	ctx := context.Background()
	ns := "sched"
	c.namespace(ctx, ns)
	c.readyNode(ctx, "node-a", map[string]string{"disk": "ssd"})
	pods := c.admin.CoreV1().Pods(ns)
	if _, err := pods.Create(ctx, testPod("fits", map[string]string{"disk": "ssd"}), metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := pods.Create(ctx, testPod("fits-nowhere", map[string]string{"disk": "tape"}), metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	c.eventually("pod fits is bound to node-a", func() (bool, string) {
		p, err := pods.Get(ctx, "fits", metav1.GetOptions{})
		if err != nil {
			return false, err.Error()
		}
		return p.Spec.NodeName == "node-a" && condition(p, corev1.PodScheduled) == corev1.ConditionTrue,
			fmt.Sprintf("nodeName %q, PodScheduled %q", p.Spec.NodeName, condition(p, corev1.PodScheduled))
	})
	c.eventually("pod fits-nowhere is Unschedulable", func() (bool, string) {
		p, err := pods.Get(ctx, "fits-nowhere", metav1.GetOptions{})
		if err != nil {
			return false, err.Error()
		}
		for _, cond := range p.Status.Conditions {
			if cond.Type == corev1.PodScheduled && cond.Status == corev1.ConditionFalse && cond.Reason == corev1.PodReasonUnschedulable {
				return p.Spec.NodeName == "", ""
			}
		}
		return false, fmt.Sprintf("conditions %+v", p.Status.Conditions)
	})
	for pod, reason := range map[string]string{"fits": "Scheduled", "fits-nowhere": "FailedScheduling"} {
		c.eventually("event "+reason+" about pod "+pod, func() (bool, string) {
			// The scheduler records through events.k8s.io/v1; core/v1 shows them too.
			sel := fields.Set{"involvedObject.name": pod, "reason": reason}.AsSelector().String()
			evs, err := c.admin.CoreV1().Events(ns).List(ctx, metav1.ListOptions{FieldSelector: sel})
			if err != nil {
				return false, err.Error()
			}
			return len(evs.Items) > 0, fmt.Sprintf("%d events", len(evs.Items))
		})
	}
}

func condition(p *corev1.Pod, typ corev1.PodConditionType) corev1.ConditionStatus {
	for _, c := range p.Status.Conditions {
		if c.Type == typ {
			return c.Status
		}
	}
	return ""
}
