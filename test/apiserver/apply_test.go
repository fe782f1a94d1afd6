package apiserver

import (
	"strings"
	"testing"
)

func TestServerSideApply(t *testing.T) {
	c := startCluster(t)
	if out := c.ok(configMapV1, "apply", "--server-side", "-f", "-"); !strings.Contains(out, "serverside-applied") {
		t.Errorf("apply --server-side: %s", out)
	}
	if out := c.ok(configMapV2, "apply", "--server-side", "-f", "-"); !strings.Contains(out, "serverside-applied") {
		t.Errorf("second apply: %s", out)
	}
	if out := c.ok("", "get", "cm", "settings", "-o", "jsonpath={.data.color} {.data.size} {.metadata.managedFields[0].manager} {.metadata.managedFields[0].operation}"); out != "green large kubectl Apply" {
		t.Errorf("after two applies: %q", out)
	}
	// Another manager takes a field; applying it again conflicts until forced.
	c.ok("", "patch", "cm", "settings", "--type=merge", "-p", `{"data":{"color":"red"}}`, "--field-manager=intruder")
	c.fails("conflict", configMapV2, "apply", "--server-side", "-f", "-")
	c.ok(configMapV2, "apply", "--server-side", "--force-conflicts", "-f", "-")
	if out := c.ok("", "get", "cm", "settings", "-o", "jsonpath={.data.color}"); out != "green" {
		t.Errorf("after a forced apply: %q", out)
	}
	// Client-side create records managedFields too.
	c.ok("", "create", "configmap", "plain", "--from-literal=a=b")
	if out := c.ok("", "get", "cm", "plain", "-o", "jsonpath={.metadata.managedFields[0].manager}"); out != "kubectl-create" {
		t.Errorf("managedFields manager of a create: %q", out)
	}
}
