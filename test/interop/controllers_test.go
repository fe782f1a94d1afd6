package interop

import (
	"context"
	"fmt"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"
)

// startControllerManager runs upstream's kube-controller-manager as
// kubeadm does: its own user for itself, a service account and a
// TokenRequest token per controller.
func (c *cluster) startControllerManager() *daemon {
	kc := c.kubeconfig("controller-manager", kcmToken)
	return c.startUpstream("kube-controller-manager", "--kubeconfig="+kc, "--secure-port=0",
		"--leader-elect=true", "--use-service-account-credentials=true",
		"--service-account-private-key-file="+c.saKey, "--root-ca-file="+c.caFile,
		"--controllers=*", "--v=2")
}

// namespace creates a namespace and waits for the controller manager to
// give it its default service account (which pods need, through the
// ServiceAccount admission plugin) and the root CA.
func (c *cluster) namespace(ctx context.Context, name string) {
	c.t.Helper()
	if _, err := c.admin.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}, metav1.CreateOptions{}); err != nil {
		c.t.Fatal(err)
	}
	c.eventually("namespace "+name+" has its default service account and root CA", func() (bool, string) {
		_, errSA := c.admin.CoreV1().ServiceAccounts(name).Get(ctx, "default", metav1.GetOptions{})
		_, errCA := c.admin.CoreV1().ConfigMaps(name).Get(ctx, "kube-root-ca.crt", metav1.GetOptions{})
		return errSA == nil && errCA == nil, fmt.Sprintf("service account: %v; root CA: %v", errSA, errCA)
	})
}

// testDeployments: the deployment controller makes a ReplicaSet, the
// ReplicaSet controller its pods; a scale through the scale subresource
// reaches the pods; deleting the Deployment lets the garbage collector
// remove the rest.
func testDeployments(t *testing.T, c *cluster) {
	ctx := context.Background()
	ns := "deploy"
	c.namespace(ctx, ns)
	labels := map[string]string{"app": "web"}
	d := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "web"},
		Spec: appsv1.DeploymentSpec{
			Replicas: ptr.To(int32(2)),
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "app", Image: "registry.local/web:1"}}},
			},
		},
	}
	if _, err := c.admin.AppsV1().Deployments(ns).Create(ctx, d, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	c.waitPods(ctx, ns, "app=web", 2)
	c.eventually("the Deployment's status counts 2 replicas", func() (bool, string) {
		d, err := c.admin.AppsV1().Deployments(ns).Get(ctx, "web", metav1.GetOptions{})
		if err != nil {
			return false, err.Error()
		}
		return d.Status.Replicas == 2 && d.Status.ObservedGeneration == d.Generation, fmt.Sprintf("status %+v", d.Status)
	})
	scale, err := c.admin.AppsV1().Deployments(ns).GetScale(ctx, "web", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	scale.Spec.Replicas = 3
	if _, err := c.admin.AppsV1().Deployments(ns).UpdateScale(ctx, "web", scale, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	c.waitPods(ctx, ns, "app=web", 3)

	if err := c.admin.AppsV1().Deployments(ns).Delete(ctx, "web", metav1.DeleteOptions{PropagationPolicy: ptr.To(metav1.DeletePropagationBackground)}); err != nil {
		t.Fatal(err)
	}
	c.eventually("the garbage collector removes the ReplicaSet and its pods", func() (bool, string) {
		rs, err := c.admin.AppsV1().ReplicaSets(ns).List(ctx, metav1.ListOptions{})
		if err != nil {
			return false, err.Error()
		}
		pods, err := c.admin.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{})
		if err != nil {
			return false, err.Error()
		}
		// Pods are deleted gracefully: no kubelet confirms, so they stay
		// with a deletionTimestamp.
		live := livePods(pods.Items)
		return len(rs.Items) == 0 && live == 0, fmt.Sprintf("%d ReplicaSets, %d pods not being deleted", len(rs.Items), live)
	})
}

// livePods counts the pods not being deleted.
func livePods(pods []corev1.Pod) int {
	live := 0
	for _, p := range pods {
		if p.DeletionTimestamp == nil {
			live++
		}
	}
	return live
}

// waitPods waits for n pods matching selector in ns.
func (c *cluster) waitPods(ctx context.Context, ns, selector string, n int) {
	c.t.Helper()
	c.eventually(fmt.Sprintf("%d pods %s in %s", n, selector, ns), func() (bool, string) {
		pods, err := c.admin.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{LabelSelector: selector})
		if err != nil {
			return false, err.Error()
		}
		live := livePods(pods.Items)
		return live == n, fmt.Sprintf("%d pods", live)
	})
}

// testJobs: the job controller creates a Job's pod.
func testJobs(t *testing.T, c *cluster) {
	ctx := context.Background()
	ns := "jobs"
	c.namespace(ctx, ns)
	job := &batchv1.Job{
		ObjectMeta: metav1.ObjectMeta{Name: "once"},
		Spec: batchv1.JobSpec{Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{
			RestartPolicy: corev1.RestartPolicyNever,
			Containers:    []corev1.Container{{Name: "work", Image: "registry.local/work:1"}},
		}}},
	}
	if _, err := c.admin.BatchV1().Jobs(ns).Create(ctx, job, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	c.waitPods(ctx, ns, "job-name=once", 1)
}

// testEndpointSlices: the EndpointSlice controller makes a slice for a
// Service with a selector.
func testEndpointSlices(t *testing.T, c *cluster) {
	ctx := context.Background()
	ns := "svc"
	c.namespace(ctx, ns)
	svc := &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Name: "web"},
		Spec: corev1.ServiceSpec{Selector: map[string]string{"app": "web"},
			Ports: []corev1.ServicePort{{Port: 80, TargetPort: intstr.FromInt32(8080)}}},
	}
	if _, err := c.admin.CoreV1().Services(ns).Create(ctx, svc, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	c.eventually("an EndpointSlice for Service web", func() (bool, string) {
		slices, err := c.admin.DiscoveryV1().EndpointSlices(ns).List(ctx, metav1.ListOptions{LabelSelector: discoveryv1.LabelServiceName + "=web"})
		if err != nil {
			return false, err.Error()
		}
		return len(slices.Items) == 1 && slices.Items[0].Labels[discoveryv1.LabelManagedBy] == "endpointslice-controller.k8s.io",
			fmt.Sprintf("%d slices", len(slices.Items))
	})
}

// testNamespaceDeletion: the namespace controller empties a deleted
// namespace and removes its finalizer, and the namespace goes.
func testNamespaceDeletion(t *testing.T, c *cluster) {
	ctx := context.Background()
	ns := "doomed"
	c.namespace(ctx, ns)
	cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "data"}, Data: map[string]string{"k": "v"}}
	if _, err := c.admin.CoreV1().ConfigMaps(ns).Create(ctx, cm, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := c.admin.CoreV1().Namespaces().Delete(ctx, ns, metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	c.eventually("namespace doomed is gone", func() (bool, string) {
		n, err := c.admin.CoreV1().Namespaces().Get(ctx, ns, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			return true, ""
		}
		if err != nil {
			return false, err.Error()
		}
		return false, fmt.Sprintf("phase %s, conditions %+v", n.Status.Phase, n.Status.Conditions)
	})
}

// testResourceQuota: the controller manager fills a ResourceQuota's
// status, and skiff's ResourceQuota admission then refuses the pod past
// it; the ServiceAccount admission gives admitted pods their API token
// volume.
func testResourceQuota(t *testing.T, c *cluster) {
	ctx := context.Background()
	ns := "quota"
	c.namespace(ctx, ns)
	q := &corev1.ResourceQuota{ObjectMeta: metav1.ObjectMeta{Name: "pods"},
		Spec: corev1.ResourceQuotaSpec{Hard: corev1.ResourceList{corev1.ResourcePods: resource.MustParse("1")}}}
	if _, err := c.admin.CoreV1().ResourceQuotas(ns).Create(ctx, q, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	c.eventually("the quota controller fills status.hard", func() (bool, string) {
		q, err := c.admin.CoreV1().ResourceQuotas(ns).Get(ctx, "pods", metav1.GetOptions{})
		if err != nil {
			return false, err.Error()
		}
		hard := q.Status.Hard[corev1.ResourcePods]
		return hard.Value() == 1, fmt.Sprintf("status %+v", q.Status)
	})
	first, err := c.admin.CoreV1().Pods(ns).Create(ctx, testPod("first", nil), metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if first.Spec.ServiceAccountName != "default" || !hasTokenVolume(first) {
		t.Errorf("admitted pod: serviceAccountName %q, volumes %+v; want default's kube-api-access token", first.Spec.ServiceAccountName, first.Spec.Volumes)
	}
	_, err = c.admin.CoreV1().Pods(ns).Create(ctx, testPod("second", nil), metav1.CreateOptions{})
	if !apierrors.IsForbidden(err) || !strings.Contains(err.Error(), "exceeded quota: pods") {
		t.Errorf("second pod past the quota: %v, want 403 exceeded quota", err)
	}
}

func hasTokenVolume(p *corev1.Pod) bool {
	for _, v := range p.Spec.Volumes {
		if strings.HasPrefix(v.Name, "kube-api-access-") && v.Projected != nil {
			return true
		}
	}
	return false
}
