package apiserver

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: registry.local/web:1.0
        ports:
        - containerPort: 8080
`

func TestWorkloadsWithKubectl(t *testing.T) {
	c := startCluster(t)
	if out := c.ok(deployment, "apply", "-f", "-"); !strings.Contains(out, "deployment.apps/web created") {
		t.Errorf("apply: %s", out)
	}
	wide := c.ok("", "get", "deploy", "web", "-o", "wide")
	for _, want := range []string{"READY", "UP-TO-DATE", "CONTAINERS", "IMAGES", "SELECTOR", "registry.local/web:1.0", "app=web"} {
		if !strings.Contains(wide, want) {
			t.Errorf("get -o wide lacks %q:\n%s", want, wide)
		}
	}
	if out := c.ok("", "describe", "deployment", "web"); !strings.Contains(out, "Replicas:") || !strings.Contains(out, "registry.local/web:1.0") {
		t.Errorf("describe:\n%s", out)
	}
	if out := c.ok("", "get", "deploy", "web", "-o", "jsonpath={.spec.strategy.rollingUpdate.maxSurge} {.spec.template.spec.containers[0].imagePullPolicy} {.metadata.generation}"); out != "25% IfNotPresent 1" {
		t.Errorf("defaults: %q", out)
	}
	// A spec change bumps the generation; the selector stays immutable.
	c.ok("", "patch", "deploy", "web", "-p", `{"spec":{"replicas":3}}`)
	if out := c.ok("", "get", "deploy", "web", "-o", "jsonpath={.metadata.generation}"); out != "2" {
		t.Errorf("generation after a spec change: %q", out)
	}
	c.fails("field is immutable", "", "patch", "deploy", "web", "-p", `{"spec":{"selector":{"matchLabels":{"app":"other"}}}}`)
	mismatched := strings.Replace(strings.Replace(deployment, "name: web\n  namespace", "name: bad\n  namespace", 1), "matchLabels: {app: web}", "matchLabels: {app: other}", 1)
	c.fails("`selector` does not match template `labels`", mismatched, "apply", "-f", "-")

	// kubectl edit, with a script as the editor.
	editor := filepath.Join(t.TempDir(), "editor.sh")
	if err := os.WriteFile(editor, []byte("#!/bin/sh\nsed -i 's/image: registry.local\\/web:1.0/image: registry.local\\/web:2.0/' \"$1\"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	out, errOut, err := c.kubectlEnv([]string{"KUBE_EDITOR=" + editor}, "", "edit", "deploy", "web")
	if err != nil || !strings.Contains(out, "edited") {
		t.Fatalf("edit: %v %s %s", err, out, errOut)
	}
	if img := c.ok("", "get", "deploy", "web", "-o", "jsonpath={.spec.template.spec.containers[0].image}"); img != "registry.local/web:2.0" {
		t.Errorf("after edit: image %q", img)
	}

	if out := c.ok("", "explain", "deployment.spec.replicas"); !strings.Contains(out, "FIELD: replicas <integer>") {
		t.Errorf("explain:\n%s", out)
	}
	if out := c.ok("", "get", "--raw", "/apis/apps/v1"); !strings.Contains(out, `"deployments"`) {
		t.Errorf("get --raw: %s", out)
	}

	// Deletion with each propagation policy.
	for _, policy := range []string{"background", "foreground", "orphan"} {
		name := "cm-" + policy
		c.ok("", "create", "configmap", name)
		c.ok("", "delete", "configmap", name, "--cascade="+policy, "--wait=false")
	}
	// Foreground and orphan leave a finalizer (no garbage collector runs yet).
	if out := c.ok("", "get", "cm", "cm-orphan", "-o", "jsonpath={.metadata.finalizers}"); !strings.Contains(out, "orphan") {
		t.Errorf("orphan delete: finalizers %q", out)
	}
	if out := c.ok("", "get", "cm", "cm-foreground", "-o", "jsonpath={.metadata.finalizers}"); !strings.Contains(out, "foregroundDeletion") {
		t.Errorf("foreground delete: finalizers %q", out)
	}
	c.fails(`configmaps "cm-background" not found`, "", "get", "cm", "cm-background")
}

func TestWatchWithKubectl(t *testing.T) {
	c := startCluster(t)
	c.ok("", "create", "configmap", "watched")
	done := make(chan string, 1)
	go func() {
		out, _, _ := c.kubectl("", "get", "cm", "watched", "-w", "--request-timeout=20s", "-o", "jsonpath={.data.n}{\"\\n\"}")
		done <- out
	}()
	// kubectl prints the current state, then each change; keep changing
	// until the watch has shown one, bounded by the deadline.
	deadline := time.After(20 * time.Second)
	for i := 1; ; i++ {
		c.ok("", "patch", "cm", "watched", "--type=merge", "-p", `{"data":{"n":"`+strings.Repeat("x", i)+`"}}`)
		select {
		case out := <-done:
			if !strings.Contains(out, "x") {
				t.Errorf("get -w printed %q", out)
			}
			return
		case <-time.After(200 * time.Millisecond):
		case <-deadline:
			t.Fatal("get -w saw no change")
		}
		if i == 10 {
			break
		}
	}
	out := <-done
	if !strings.Contains(out, "x\n") {
		t.Errorf("get -w printed %q, want the changes", out)
	}
}
