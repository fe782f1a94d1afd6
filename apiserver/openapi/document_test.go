package openapi

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"

	"github.com/skiff-dev/skiff/apiserver/discovery"
)

func v3JSON(t *testing.T, h *Handler, gv string) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(uncompressed(t, h.v3[gv].json), &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

func dig(v any, path ...string) any {
	for _, k := range path {
		m, _ := v.(map[string]any)
		v = m[k]
	}
	return v
}

// refsIn collects every "$ref" value in a JSON value.
func refsIn(v any, out map[string]bool) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if s, ok := e.(string); ok && k == "$ref" {
				out[s] = true
			}
			refsIn(e, out)
		}
	case []any:
		for _, e := range x {
			refsIn(e, out)
		}
	}
}

func TestEveryReferenceResolves(t *testing.T) {
	h := testHandler(t)
	for _, gv := range h.GroupVersions() {
		doc := v3JSON(t, h, gv)
		refs := map[string]bool{}
		refsIn(doc, refs)
		schemas := dig(doc, "components", "schemas").(map[string]any)
		for ref := range refs {
			if schemas[strings.TrimPrefix(ref, "#/components/schemas/")] == nil {
				t.Errorf("%s: unresolved %s", gv, ref)
			}
		}
	}
	var v2 map[string]any
	if err := json.Unmarshal(uncompressed(t, h.v2.json), &v2); err != nil {
		t.Fatal(err)
	}
	refs := map[string]bool{}
	refsIn(v2, refs)
	for ref := range refs {
		if dig(v2, "definitions", strings.TrimPrefix(ref, "#/definitions/")) == nil {
			t.Errorf("v2: unresolved %s", ref)
		}
	}
}

func TestV3SpecialTypes(t *testing.T) {
	schemas := dig(v3JSON(t, testHandler(t), "api/v1"), "components", "schemas").(map[string]any)
	tests := []struct {
		name, want string
	}{
		{"io.k8s.apimachinery.pkg.api.resource.Quantity", `[{"type":"string"},{"type":"number"}]`},
		{"io.k8s.apimachinery.pkg.util.intstr.IntOrString", `[{"type":"integer"},{"type":"string"}]`},
	}
	for _, tt := range tests {
		s := schemas[tt.name].(map[string]any)
		got, _ := json.Marshal(s["oneOf"])
		if string(got) != tt.want || s["type"] != nil {
			t.Errorf("%s: oneOf %s type %v, want oneOf %s", tt.name, got, s["type"], tt.want)
		}
	}
	if f := dig(schemas, "io.k8s.apimachinery.pkg.util.intstr.IntOrString", "format"); f != "int-or-string" {
		t.Errorf("IntOrString format %v", f)
	}
	if f := dig(schemas, "io.k8s.apimachinery.pkg.apis.meta.v1.Time", "format"); f != "date-time" {
		t.Errorf("Time format %v", f)
	}
}

func TestGroupVersionKindExtensions(t *testing.T) {
	h := testHandler(t)
	docs := map[string]map[string]any{"api/v1": v3JSON(t, h, "api/v1"), "apis/apps/v1": v3JSON(t, h, "apis/apps/v1")}
	gvks := func(gv, def string) string {
		b, _ := json.Marshal(dig(docs[gv], "components", "schemas", def, "x-kubernetes-group-version-kind"))
		return string(b)
	}
	tests := []struct {
		gv, def, want string
	}{
		{"api/v1", "io.k8s.api.core.v1.Pod", `[{"group":"","kind":"Pod","version":"v1"}]`},
		{"api/v1", "io.k8s.api.core.v1.PodList", `[{"group":"","kind":"PodList","version":"v1"}]`},
		{"api/v1", "io.k8s.api.policy.v1.Eviction", `[{"group":"policy","kind":"Eviction","version":"v1"}]`},
		{"apis/apps/v1", "io.k8s.api.apps.v1.Deployment", `[{"group":"apps","kind":"Deployment","version":"v1"}]`},
		{"apis/apps/v1", "io.k8s.api.autoscaling.v1.Scale", `[{"group":"autoscaling","kind":"Scale","version":"v1"}]`},
		{"apis/apps/v1", "io.k8s.apimachinery.pkg.apis.meta.v1.Status", `[{"group":"","kind":"Status","version":"v1"}]`},
		{"apis/apps/v1", "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions", `[{"group":"","kind":"DeleteOptions","version":"v1"},` +
			`{"group":"apps","kind":"DeleteOptions","version":"v1"},{"group":"authentication.k8s.io","kind":"DeleteOptions","version":"v1"},` +
			`{"group":"autoscaling","kind":"DeleteOptions","version":"v1"},{"group":"autoscaling","kind":"DeleteOptions","version":"v2"}]`},
		{"apis/apps/v1", "io.k8s.api.apps.v1.DeploymentSpec", `null`},
	}
	for _, tt := range tests {
		if got := gvks(tt.gv, tt.def); got != tt.want {
			t.Errorf("%s %s: %s, want %s", tt.gv, tt.def, got, tt.want)
		}
	}
}

func TestOperations(t *testing.T) {
	h := testHandler(t)
	docs := map[string]map[string]any{}
	tests := []struct {
		gv, path, method, id, action, kind string
	}{
		{"api/v1", "/api/v1/namespaces/{namespace}/pods", "get", "listCoreV1NamespacedPod", "list", "Pod"},
		{"api/v1", "/api/v1/namespaces/{namespace}/pods", "post", "createCoreV1NamespacedPod", "post", "Pod"},
		{"api/v1", "/api/v1/namespaces/{namespace}/pods", "delete", "deleteCoreV1CollectionNamespacedPod", "deletecollection", "Pod"},
		{"api/v1", "/api/v1/namespaces/{namespace}/pods/{name}", "patch", "patchCoreV1NamespacedPod", "patch", "Pod"},
		{"api/v1", "/api/v1/pods", "get", "listCoreV1PodForAllNamespaces", "list", "Pod"},
		{"api/v1", "/api/v1/watch/namespaces/{namespace}/pods", "get", "watchCoreV1NamespacedPodList", "watchlist", "Pod"},
		{"api/v1", "/api/v1/watch/pods", "get", "watchCoreV1PodListForAllNamespaces", "watchlist", "Pod"},
		{"api/v1", "/api/v1/namespaces/{name}", "put", "replaceCoreV1Namespace", "put", "Namespace"},
		{"api/v1", "/api/v1/namespaces/{name}/status", "patch", "patchCoreV1NamespaceStatus", "patch", "Namespace"},
		{"api/v1", "/api/v1/namespaces/{namespace}/pods/{name}/binding", "post", "createCoreV1NamespacedPodBinding", "post", "Binding"},
		{"api/v1", "/api/v1/namespaces/{namespace}/pods/{name}/log", "get", "readCoreV1NamespacedPodLog", "get", "Pod"},
		{"api/v1", "/api/v1/namespaces/{namespace}/pods/{name}/exec", "post", "connectCoreV1PostNamespacedPodExec", "connect", "PodExecOptions"},
		{"api/v1", "/api/v1/namespaces/{namespace}/serviceaccounts/{name}/token", "post", "createCoreV1NamespacedServiceAccountToken", "post", "TokenRequest"},
		{"apis/apps/v1", "/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale", "patch", "patchAppsV1NamespacedDeploymentScale", "patch", "Scale"},
		{"apis/authentication.k8s.io/v1", "/apis/authentication.k8s.io/v1/tokenreviews", "post", "createAuthenticationV1TokenReview", "post", "TokenReview"},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			if docs[tt.gv] == nil {
				docs[tt.gv] = v3JSON(t, h, tt.gv)
			}
			op := dig(docs[tt.gv], "paths", tt.path, tt.method)
			if op == nil {
				t.Fatalf("no %s %s", tt.method, tt.path)
			}
			if id := dig(op, "operationId"); id != tt.id {
				t.Errorf("operationId %v", id)
			}
			if a := dig(op, "x-kubernetes-action"); a != tt.action {
				t.Errorf("action %v", a)
			}
			if k := dig(op, "x-kubernetes-group-version-kind", "kind"); k != tt.kind {
				t.Errorf("kind %v", k)
			}
		})
	}
	// A create-only resource has nothing else.
	if p := dig(v3JSON(t, h, "apis/authentication.k8s.io/v1"), "paths", "/apis/authentication.k8s.io/v1/tokenreviews/{name}"); p != nil {
		t.Errorf("tokenreviews/{name} served: %v", p)
	}
}

func TestQueryParameters(t *testing.T) {
	doc := v3JSON(t, testHandler(t), "api/v1")
	names := func(path, method string) map[string]bool {
		out := map[string]bool{}
		for _, p := range dig(doc, "paths", path, method, "parameters").([]any) {
			out[dig(p, "name").(string)] = dig(p, "in") == "query"
		}
		return out
	}
	tests := []struct {
		path, method string
		want         []string
	}{
		{"/api/v1/namespaces/{namespace}/pods", "post", []string{"dryRun", "fieldManager", "fieldValidation"}},
		{"/api/v1/namespaces/{namespace}/pods/{name}", "put", []string{"dryRun", "fieldManager", "fieldValidation"}},
		{"/api/v1/namespaces/{namespace}/pods/{name}", "patch", []string{"dryRun", "fieldManager", "fieldValidation", "force"}},
		{"/api/v1/namespaces/{namespace}/pods/{name}", "delete", []string{"dryRun", "gracePeriodSeconds", "propagationPolicy"}},
		{"/api/v1/namespaces/{namespace}/pods", "get", []string{"labelSelector", "fieldSelector", "watch", "limit", "continue", "resourceVersion", "sendInitialEvents"}},
		{"/api/v1/namespaces/{namespace}/pods/{name}/log", "get", []string{"container", "follow", "tailLines", "previous"}},
		{"/api/v1/namespaces/{namespace}/pods/{name}/exec", "get", []string{"command", "container", "stdin", "tty"}},
	}
	for _, tt := range tests {
		got := names(tt.path, tt.method)
		for _, w := range tt.want {
			if !got[w] {
				t.Errorf("%s %s: no query parameter %s (have %v)", tt.method, tt.path, w, got)
			}
		}
	}
}

type badField struct {
	Ch chan int `json:"ch"`
}
type badObject struct {
	Spec badField `json:"spec"`
}

func TestBadTypesAreErrors(t *testing.T) {
	tests := []struct {
		name string
		r    discovery.Resource
	}{
		{"no type", discovery.Resource{Version: "v1", Resource: "things", Kind: "Thing", Verbs: []string{"get"}}},
		{"unencodable field", discovery.Resource{Version: "v1", Resource: "things", Kind: "Thing", Verbs: []string{"get"},
			GoType: reflect.TypeOf(badObject{})}},
		{"not a struct", discovery.Resource{Version: "v1", Resource: "things", Kind: "Thing", Verbs: []string{"get"},
			GoType: reflect.TypeOf("")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := New(nil, []discovery.Resource{tt.r}, "v1.31.3"); err == nil {
				t.Error("no error")
			}
		})
	}
	// Pointers to types are taken as the types.
	if _, err := New(nil, []discovery.Resource{{Version: "v1", Resource: "pods", Kind: "Pod", Namespaced: true,
		Verbs: []string{"get"}, GoType: reflect.TypeOf(&corev1.Pod{})}}, "v1"); err != nil {
		t.Error(err)
	}
}
