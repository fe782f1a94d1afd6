// Package apiserver drives skiff's kube-apiserver, on a real etcd, with the
// real kubectl v1.31.
package apiserver

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/skiff-dev/skiff/test/process"
)

func TestDiscoveryAndSystemNamespaces(t *testing.T) {
	c := startCluster(t)
	out := c.ok("", "api-resources")
	for _, want := range []string{"pods", "po", "deployments", "deploy", "apps/v1", "configmaps", "cm", "namespaces", "ns"} {
		if !strings.Contains(out, want) {
			t.Errorf("api-resources lacks %q:\n%s", want, out)
		}
	}
	deadline := 30
	for i := 0; ; i++ { // the bootstrap runs beside serving
		out = c.ok("", "get", "namespaces", "-o", "name")
		if strings.Contains(out, "namespace/kube-node-lease") || i == deadline {
			break
		}
		c.ok("", "get", "--raw", "/readyz")
	}
	for _, ns := range []string{"default", "kube-system", "kube-public", "kube-node-lease"} {
		if !strings.Contains(out, "namespace/"+ns) {
			t.Errorf("namespace %s missing:\n%s", ns, out)
		}
	}
	if v := c.ok("", "version", "-o", "json"); !strings.Contains(v, `"serverVersion"`) {
		t.Errorf("kubectl version: %s", v)
	}
}

const configMapV1 = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: default
  labels: {app: web}
data:
  color: blue
`

const configMapV2 = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: default
  labels: {app: web}
data:
  color: green
  size: large
`

func TestConfigMapLifecycleWithKubectl(t *testing.T) {
	c := startCluster(t)
	if out := c.ok(configMapV1, "apply", "-f", "-"); !strings.Contains(out, "configmap/settings created") {
		t.Errorf("apply: %s", out)
	}
	if out := c.ok(configMapV2, "apply", "-f", "-"); !strings.Contains(out, "configmap/settings configured") {
		t.Errorf("second apply: %s", out)
	}
	var cm struct {
		Data     map[string]string `json:"data"`
		Metadata struct {
			UID             string `json:"uid"`
			ResourceVersion string `json:"resourceVersion"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal([]byte(c.ok("", "get", "cm", "settings", "-o", "json")), &cm); err != nil {
		t.Fatal(err)
	}
	if cm.Data["color"] != "green" || cm.Data["size"] != "large" || cm.Metadata.UID == "" {
		t.Errorf("after the second apply: %+v", cm)
	}
	if out := c.ok("", "get", "cm", "settings", "-o", "jsonpath={.data.color}"); out != "green" {
		t.Errorf("jsonpath: %q", out)
	}
	if out := c.ok("", "get", "cm", "-l", "app=web", "-o", "name"); strings.TrimSpace(out) != "configmap/settings" {
		t.Errorf("get by label: %q", out)
	}
	if out := c.ok("", "get", "cm", "settings"); !strings.Contains(out, "NAME") || !strings.Contains(out, "settings") {
		t.Errorf("table: %q", out)
	}
	c.ok("", "label", "cm", "settings", "tier=frontend")
	c.ok("", "annotate", "cm", "settings", "owner=team-a")
	c.ok("", "patch", "cm", "settings", "--type=merge", "-p", `{"data":{"merge":"yes"}}`)
	c.ok("", "patch", "cm", "settings", "--type=json", "-p", `[{"op":"add","path":"/data/json","value":"yes"}]`)
	c.ok("", "patch", "cm", "settings", "-p", `{"data":{"strategic":"yes"}}`)
	yaml := c.ok("", "get", "cm", "settings", "-o", "yaml")
	for _, want := range []string{"tier: frontend", "owner: team-a", "merge: \"yes\"", "json: \"yes\"", "strategic: \"yes\""} {
		if !strings.Contains(yaml, want) {
			t.Errorf("after label/annotate/patch, yaml lacks %q:\n%s", want, yaml)
		}
	}
	if out := c.ok("", "delete", "cm", "settings"); !strings.Contains(out, `configmap "settings" deleted`) {
		t.Errorf("delete: %s", out)
	}
	c.fails(`configmaps "settings" not found`, "", "get", "cm", "settings")
}

func TestErrorPaths(t *testing.T) {
	c := startCluster(t)
	c.fails("error parsing", "{not json", "create", "-f", "-")
	// kubectl's validation lists CustomResourceDefinitions to tell an
	// unknown kind from a custom one: there are none.
	c.fails(`no matches for kind "Frobnicator"`, "apiVersion: v1\nkind: Frobnicator\nmetadata: {name: x}\n", "create", "-f", "-")
	c.fails(`no matches for kind "Frobnicator"`, "apiVersion: v1\nkind: Frobnicator\nmetadata: {name: x}\n", "create", "--validate=false", "-f", "-")
	c.fails("spec.selector: Required value", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: noselector}\nspec:\n  template:\n    metadata: {labels: {a: b}}\n    spec:\n      containers: [{name: c, image: x}]\n", "create", "-f", "-")
	c.fails(`metadata.name: Invalid value: "Not_Valid"`, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: Not_Valid}\n", "create", "-f", "-")
	c.fails(`unknown field "spec"`, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: strict}\nspec: {x: 1}\n", "create", "--validate=strict", "-f", "-")
	c.ok("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: stale}\n", "create", "-f", "-")
	c.fails("the object has been modified", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: stale, resourceVersion: \"1\"}\ndata: {a: b}\n", "replace", "-f", "-")
	big := "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n  blob: " + strings.Repeat("x", 4<<20) + "\n"
	c.fails("Request entity too large", big, "create", "-f", "-")
	// CustomResourceDefinitions: an empty collection that refuses writes.
	if out := c.ok("", "get", "crd"); !strings.Contains(out, "No resources found") && out != "" {
		t.Errorf("kubectl get crd: %q", out)
	}
	c.fails(`customresourcedefinitions.apiextensions.k8s.io "widgets.example.com" not found`, "", "get", "crd", "widgets.example.com")
	c.fails("skiff does not serve CustomResourceDefinitions (custom resources) yet",
		"apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: widgets.example.com}\n", "create", "--validate=false", "-f", "-")
	// Paths no resource serves are upstream's plain 404.
	c.fails("the server could not find the requested resource", "", "get", "--raw", "/apis/apps/v1/frobnicators")
	c.fails("the server could not find the requested resource", "", "get", "--raw", "/api/v1/namespaces/default/pods/x/frob")
}

func TestMissingCredentialsWithoutAnonymousAuth(t *testing.T) {
	c := startCluster(t, "--anonymous-auth=false")
	// No credential at all: 401 with upstream's Status.
	code, body := process.Get(t, c.url+"/api/v1/namespaces")
	if code != 401 || !strings.Contains(body, `"reason":"Unauthorized"`) {
		t.Errorf("no credentials: %d %s", code, body)
	}
	// kubectl with a credential it does not know gets the same.
	c.fails("You must be logged in to the server", "", "--token=unknown", "get", "namespaces")
}
