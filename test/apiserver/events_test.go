package apiserver

import (
	"strings"
	"testing"
)

// events.k8s.io/v1 and core/v1 show the same Events.
func TestEventsInBothAPIs(t *testing.T) {
	c := startCluster(t)
	c.ok(`apiVersion: events.k8s.io/v1
kind: Event
metadata: {name: e1, namespace: default}
eventTime: "2026-11-21T07:00:00.000000Z"
reportingController: skiff.dev/test
reportingInstance: test-1
action: Testing
reason: Tested
note: hello
type: Normal
regarding: {kind: Pod, name: p, namespace: default}
`, "create", "-f", "-")
	if out := c.ok("", "get", "events.v1.events.k8s.io", "e1", "-o", "jsonpath={.note} {.regarding.name}"); out != "hello p" {
		t.Errorf("events.k8s.io view: %q", out)
	}
	if out := c.ok("", "get", "events.v1.", "e1", "-o", "jsonpath={.message} {.involvedObject.name} {.reportingComponent}"); out != "hello p skiff.dev/test" {
		t.Errorf("core view: %q", out)
	}
	c.fails("eventTime: Required value", "apiVersion: events.k8s.io/v1\nkind: Event\nmetadata: {name: e2}\nreportingController: a/b\nreportingInstance: x\naction: A\nreason: R\ntype: Normal\n", "create", "-f", "-")
	if out := c.ok("", "api-resources", "--api-group=events.k8s.io"); !strings.Contains(out, "events") {
		t.Errorf("api-resources: %s", out)
	}
}
