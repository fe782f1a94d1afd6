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

// autoscaling/v1 and v2 show the same HorizontalPodAutoscalers.
func TestHPAInBothVersions(t *testing.T) {
	c := startCluster(t)
	c.ok(`apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: default}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  maxReplicas: 5
  targetCPUUtilizationPercentage: 70
`, "create", "-f", "-")
	if out := c.ok("", "get", "horizontalpodautoscalers.v2.autoscaling", "web", "-o", "jsonpath={.spec.metrics[0].resource.target.averageUtilization} {.spec.minReplicas}"); out != "70 1" {
		t.Errorf("v2 view: %q", out)
	}
	c.ok("", "patch", "horizontalpodautoscalers.v2.autoscaling", "web", "--type=merge", "-p", `{"spec":{"maxReplicas":8}}`)
	if out := c.ok("", "get", "horizontalpodautoscalers.v1.autoscaling", "web", "-o", "jsonpath={.spec.maxReplicas} {.spec.targetCPUUtilizationPercentage}"); out != "8 70" {
		t.Errorf("v1 view after a v2 patch: %q", out)
	}
}
