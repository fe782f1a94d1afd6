package openapi

import (
	"encoding/json"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	runtimeschema "k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/strategicpatch"
	"k8s.io/kube-openapi/pkg/spec3"
	"k8s.io/kube-openapi/pkg/validation/spec"
)

// These tests read the v3 documents with kube-openapi's types, the way
// kubectl v1.31 reads them, and repeat kubectl's decisions.

func parseV3(t *testing.T, h *Handler, gv string) *spec3.OpenAPI {
	t.Helper()
	d, ok := h.v3[gv]
	if !ok {
		t.Fatalf("no v3 document for %s", gv)
	}
	var doc spec3.OpenAPI
	if err := json.Unmarshal(uncompressed(t, d.json), &doc); err != nil {
		t.Fatalf("%s does not parse as OpenAPI v3: %v", gv, err)
	}
	return &doc
}

func gvkExtension(ext spec.Extensions) (map[string]string, bool) {
	var gvk map[string]string
	if err := ext.GetObject("x-kubernetes-group-version-kind", &gvk); err != nil || gvk == nil {
		return nil, false
	}
	return gvk, true
}

// supportsFieldValidation is kubectl's queryParamVerifierV3: the first
// PATCH operation of the kind must take fieldValidation in the query.
func supportsFieldValidation(doc *spec3.OpenAPI, gvk runtimeschema.GroupVersionKind) (found, supported bool) {
	for _, path := range doc.Paths.Paths {
		if path == nil || path.Patch == nil {
			continue
		}
		got, ok := gvkExtension(path.Patch.Extensions)
		if !ok || got["group"] != gvk.Group || got["version"] != gvk.Version || got["kind"] != gvk.Kind {
			continue
		}
		for _, p := range path.Patch.Parameters {
			if p.Name == "fieldValidation" && p.In == "query" {
				return true, true
			}
		}
		return true, false
	}
	return false, false
}

func TestKubectlFindsServerSideFieldValidation(t *testing.T) {
	h := testHandler(t)
	tests := []struct {
		gv  string
		gvk runtimeschema.GroupVersionKind
	}{
		{"api/v1", runtimeschema.GroupVersionKind{Version: "v1", Kind: "Namespace"}},
		{"api/v1", runtimeschema.GroupVersionKind{Version: "v1", Kind: "Pod"}},
		{"api/v1", runtimeschema.GroupVersionKind{Version: "v1", Kind: "ConfigMap"}},
		{"apis/apps/v1", runtimeschema.GroupVersionKind{Group: "apps", Version: "v1", Kind: "Deployment"}},
		{"apis/autoscaling/v2", runtimeschema.GroupVersionKind{Group: "autoscaling", Version: "v2", Kind: "HorizontalPodAutoscaler"}},
	}
	for _, tt := range tests {
		t.Run(tt.gvk.Kind+"."+tt.gv, func(t *testing.T) {
			// Map iteration makes kubectl's "first PATCH" any of them: run it often.
			doc := parseV3(t, h, tt.gv)
			for i := 0; i < 5; i++ {
				found, ok := supportsFieldValidation(doc, tt.gvk)
				if !found || !ok {
					t.Fatalf("PATCH for %v found=%v fieldValidation=%v", tt.gvk, found, ok)
				}
			}
		})
	}
}

// TestKubectlAppliesWithStrategicMergePatchFromV3 repeats kubectl apply's
// patch computation from the v3 document and compares it with the patch
// computed from the Go struct.
func TestKubectlAppliesWithStrategicMergePatchFromV3(t *testing.T) {
	doc := parseV3(t, testHandler(t), "apis/apps/v1")
	gvk := map[string]string{"group": "apps", "version": "v1", "kind": "Deployment"}
	var resource *spec.Schema
	for _, s := range doc.Components.Schemas {
		var list []map[string]string
		if err := s.Extensions.GetObject("x-kubernetes-group-version-kind", &list); err != nil {
			continue
		}
		for _, g := range list {
			if g["group"] == gvk["group"] && g["version"] == gvk["version"] && g["kind"] == gvk["kind"] {
				resource = s
			}
		}
	}
	if resource == nil {
		t.Fatal("no schema carries the Deployment GVK")
	}
	supportsSMP := false
	for _, path := range doc.Paths.Paths {
		if path.Patch == nil {
			continue
		}
		if got, ok := gvkExtension(path.Patch.Extensions); ok && got["kind"] == "Deployment" {
			_, supportsSMP = path.Patch.RequestBody.Content["application/strategic-merge-patch+json"]
		}
	}
	if !supportsSMP {
		t.Fatal("PATCH of Deployment does not accept strategic-merge-patch+json")
	}

	original := `{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d","labels":{"a":"b"}},
		"spec":{"replicas":1,"selector":{"matchLabels":{"app":"x"}},"template":{"metadata":{"labels":{"app":"x"}},
		"spec":{"containers":[{"name":"one","image":"i:1","resources":{"limits":{"cpu":"1"}},"ports":[{"containerPort":80}]},
		{"name":"two","image":"j:1","env":[{"name":"A","value":"1"}]}]}}}}`
	modified := strings.NewReplacer(`"i:1"`, `"i:2"`, `"value":"1"`, `"value":"2"`, `"cpu":"1"`, `"cpu":"500m"`).Replace(original)
	current := original
	fromV3, err := strategicpatch.CreateThreeWayMergePatch([]byte(original), []byte(modified), []byte(current),
		strategicpatch.PatchMetaFromOpenAPIV3{Schema: resource, SchemaList: doc.Components.Schemas}, false)
	if err != nil {
		t.Fatalf("patch from the v3 document: %v", err)
	}
	meta, err := strategicpatch.NewPatchMetaFromStruct(&appsv1.Deployment{})
	if err != nil {
		t.Fatal(err)
	}
	fromStruct, err := strategicpatch.CreateThreeWayMergePatch([]byte(original), []byte(modified), []byte(current), meta, false)
	if err != nil {
		t.Fatal(err)
	}
	if string(fromV3) != string(fromStruct) {
		t.Errorf("patch from v3 %s\npatch from struct %s", fromV3, fromStruct)
	}
	if !strings.Contains(string(fromV3), `"$setElementOrder/containers"`) {
		t.Errorf("containers not merged by name: %s", fromV3)
	}
}

// lookup follows kubectl explain's walk: properties, allOf, $ref, items.
func lookup(t *testing.T, doc *spec3.OpenAPI, s *spec.Schema, field string) *spec.Schema {
	t.Helper()
	s = resolve(t, doc, s)
	if s.Items != nil && s.Items.Schema != nil {
		s = resolve(t, doc, s.Items.Schema)
	}
	p, ok := s.Properties[field]
	if !ok {
		t.Fatalf("no field %q", field)
	}
	return &p
}

func resolve(t *testing.T, doc *spec3.OpenAPI, s *spec.Schema) *spec.Schema {
	t.Helper()
	if len(s.AllOf) == 1 {
		s = &s.AllOf[0]
	}
	if ref := s.Ref.String(); ref != "" {
		target, ok := doc.Components.Schemas[strings.TrimPrefix(ref, "#/components/schemas/")]
		if !ok {
			t.Fatalf("unresolved %s", ref)
		}
		return target
	}
	return s
}

func TestKubectlExplainsPodSpecContainers(t *testing.T) {
	doc := parseV3(t, testHandler(t), "api/v1")
	pod := doc.Components.Schemas["io.k8s.api.core.v1.Pod"]
	if pod == nil {
		t.Fatal("no Pod")
	}
	containers := lookup(t, doc, lookup(t, doc, pod, "spec"), "containers")
	if containers.Extensions["x-kubernetes-patch-merge-key"] != "name" || containers.Extensions["x-kubernetes-patch-strategy"] != "merge" {
		t.Errorf("containers extensions %v", containers.Extensions)
	}
	if !strings.HasPrefix(containers.Description, "List of containers belonging to the pod.") {
		t.Errorf("containers description %q", containers.Description)
	}
	container := resolve(t, doc, containers.Items.Schema)
	if len(container.Required) != 1 || container.Required[0] != "name" {
		t.Errorf("Container required %v, want [name]", container.Required)
	}
	image := lookup(t, doc, containers, "image")
	if len(image.Type) != 1 || image.Type[0] != "string" || image.Description == "" {
		t.Errorf("image %+v", image)
	}
}
