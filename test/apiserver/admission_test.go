package apiserver

import (
	"strings"
	"testing"
)

const pod = `apiVersion: v1
kind: Pod
metadata: {name: %s, namespace: apps}
spec:
  containers:
  - name: app
    image: registry.local/app:1.0
    resources:
      requests: {cpu: 100m}
`

func TestAdmissionOnPods(t *testing.T) {
	c := startCluster(t)
	c.fails(`namespaces "apps" not found`, strings.Replace(pod, "%s", "early", 1), "create", "-f", "-")
	c.ok("", "create", "namespace", "apps")
	// The service-account controller is not built yet: create what it would.
	c.ok("", "create", "serviceaccount", "default", "--namespace=apps")
	c.ok(strings.Replace(pod, "%s", "first", 1), "create", "-f", "-")
	got := c.ok("", "get", "pod", "first", "--namespace=apps", "-o",
		`jsonpath={.spec.serviceAccountName} {.spec.volumes[0].projected.sources[0].serviceAccountToken.expirationSeconds} {.spec.containers[0].volumeMounts[0].mountPath} {.spec.tolerations[*].key} {.spec.priority} {.status.phase}`)
	want := "default 3607 /var/run/secrets/kubernetes.io/serviceaccount node.kubernetes.io/not-ready node.kubernetes.io/unreachable 0 Pending"
	if got != want {
		t.Errorf("admitted pod:\n got %q\nwant %q", got, want)
	}
	if out := c.ok("", "get", "pods", "--namespace=apps"); !strings.Contains(out, "first") || !strings.Contains(out, "Pending") {
		t.Errorf("get pods:\n%s", out)
	}

	c.ok("", "create", "quota", "one-pod", "--hard=pods=2", "--namespace=apps")
	// Admission enforces status.hard, which the resourcequota controller
	// (kube-controller-manager, not built yet) copies from spec: play its part.
	c.ok("", "patch", "quota", "one-pod", "--namespace=apps", "--subresource=status", "--type=merge",
		"-p", `{"status":{"hard":{"pods":"2"},"used":{"pods":"1"}}}`)
	c.ok(strings.Replace(pod, "%s", "second", 1), "create", "-f", "-")
	c.fails("exceeded quota: one-pod", strings.Replace(pod, "%s", "third", 1), "create", "-f", "-")

	c.fails(`no PriorityClass with name nope was found`,
		strings.Replace(strings.Replace(pod, "%s", "prio", 1), "  containers:", "  priorityClassName: nope\n  containers:", 1), "create", "-f", "-")
	c.fails(`may not be deleted`, "", "delete", "namespace", "kube-system")
}
