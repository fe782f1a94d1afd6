package apiserver

import (
	"strings"
	"testing"
)

func TestAuthWithKubectl(t *testing.T) {
	c := startCluster(t)
	if out := c.ok("", "auth", "can-i", "create", "pods"); strings.TrimSpace(out) != "yes" {
		t.Errorf("admin can-i create pods: %q", out)
	}
	if out := c.ok("", "auth", "can-i", "--list"); !strings.Contains(out, "*.*") {
		t.Errorf("can-i --list for admin:\n%s", out)
	}
	if out := c.ok("", "auth", "whoami", "-o", "jsonpath={.status.userInfo.username}"); out != "admin" {
		t.Errorf("whoami: %q", out)
	}
	// The viewer holds no role: forbidden, in upstream's words.
	c.fails(`User "viewer" cannot list resource "pods" in API group "" in the namespace "default"`, "", "--token="+viewerToken, "get", "pods")
	if out, _, _ := c.kubectl("", "--token="+viewerToken, "auth", "can-i", "create", "deployments"); strings.TrimSpace(out) != "no" {
		t.Errorf("viewer can-i create deployments: %q", out)
	}
	// Give the viewer a role; now it may read config maps, and only those.
	// (The view ClusterRole gets its rules from the aggregation controller,
	// which runs in kube-controller-manager, as upstream.)
	c.ok("", "create", "role", "cm-reader", "--verb=get,list,watch", "--resource=configmaps", "--namespace=default")
	c.ok("", "create", "rolebinding", "viewer-cm", "--role=cm-reader", "--user=viewer", "--namespace=default")
	// The authorizer learns of the binding through its watch, as
	// upstream's does: shortly after the write.
	c.eventually("the viewer may list config maps", "--token="+viewerToken, "get", "configmaps")
	c.fails(`cannot list resource "secrets"`, "", "--token="+viewerToken, "get", "secrets")
	// Bad and missing credentials.
	c.fails("You must be logged in to the server", "", "--token=not-a-token", "get", "pods")

	// A service account's token, from the TokenRequest API, authenticates.
	c.ok("", "create", "serviceaccount", "robot")
	token := strings.TrimSpace(c.ok("", "create", "token", "robot"))
	if strings.Count(token, ".") != 2 {
		t.Fatalf("create token: %q", token)
	}
	if out := c.ok("", "--token="+token, "auth", "whoami", "-o", "jsonpath={.status.userInfo.username}"); out != "system:serviceaccount:default:robot" {
		t.Errorf("whoami with the service account's token: %q", out)
	}
}

func TestScaleWithKubectl(t *testing.T) {
	c := startCluster(t)
	c.ok(deployment, "apply", "-f", "-")
	if out := c.ok("", "scale", "deployment", "web", "--replicas=5"); !strings.Contains(out, "scaled") {
		t.Errorf("scale: %s", out)
	}
	if out := c.ok("", "get", "deploy", "web", "-o", "jsonpath={.spec.replicas}"); out != "5" {
		t.Errorf("replicas after scale: %q", out)
	}
}
