package openapi

import (
	"encoding/json"
	"strings"
	"testing"

	openapiv2 "github.com/google/gnostic-models/openapiv2"
	protobuf "google.golang.org/protobuf/proto"
	"k8s.io/kube-openapi/pkg/util/proto"
	"sigs.k8s.io/yaml"

	runtimeschema "k8s.io/apimachinery/pkg/runtime/schema"
)

// v2Document decodes the protobuf form of /openapi/v2, as client-go's
// OpenAPISchema does.
func v2Document(t *testing.T, h *Handler) *openapiv2.Document {
	t.Helper()
	gz, err := h.v2.proto()
	if err != nil {
		t.Fatalf("v2 as protobuf: %v", err)
	}
	data := uncompressed(t, gz)
	doc := &openapiv2.Document{}
	if err := protobuf.Unmarshal(data, doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestV2ReadsAsKubectlModels checks the protobuf document the way
// kubectl's v2 fallbacks use it: as proto models whose references all
// resolve, with each kind found by its GVK.
func TestV2ReadsAsKubectlModels(t *testing.T) {
	models, err := proto.NewOpenAPIData(v2Document(t, testHandler(t)))
	if err != nil {
		t.Fatalf("kubectl's models: %v", err)
	}
	for _, name := range []string{"io.k8s.api.core.v1.Pod", "io.k8s.api.apps.v1.Deployment", "io.k8s.api.autoscaling.v1.Scale"} {
		if models.LookupModel(name) == nil {
			t.Errorf("no model %s", name)
		}
	}
	pod, ok := models.LookupModel("io.k8s.api.core.v1.Pod").(*proto.Kind)
	if !ok {
		t.Fatal("Pod is not a kind")
	}
	if gvk := pod.GetExtensions()["x-kubernetes-group-version-kind"]; gvk == nil {
		t.Error("Pod model has no GVK")
	}
}

// TestV2FieldValidation repeats kubectl's v2 query parameter check.
func TestV2FieldValidation(t *testing.T) {
	doc := v2Document(t, testHandler(t))
	for _, gvk := range []runtimeschema.GroupVersionKind{
		{Version: "v1", Kind: "Namespace"}, {Version: "v1", Kind: "Pod"}, {Group: "apps", Version: "v1", Kind: "Deployment"},
	} {
		found, supported := false, false
		for _, path := range doc.GetPaths().GetPath() {
			patch := path.GetValue().GetPatch()
			if !v2HasGVK(t, patch.GetVendorExtension(), gvk) {
				continue
			}
			found = true
			for _, p := range patch.GetParameters() {
				if p.GetParameter().GetNonBodyParameter().GetQueryParameterSubSchema().GetName() == "fieldValidation" {
					supported = true
				}
			}
			break
		}
		if !found || !supported {
			t.Errorf("%v: PATCH found=%v fieldValidation=%v", gvk, found, supported)
		}
	}
}

func v2HasGVK(t *testing.T, exts []*openapiv2.NamedAny, gvk runtimeschema.GroupVersionKind) bool {
	for _, e := range exts {
		if e.GetName() != "x-kubernetes-group-version-kind" {
			continue
		}
		var v map[string]string
		if err := yaml.Unmarshal([]byte(e.GetValue().GetYaml()), &v); err != nil {
			t.Fatal(err)
		}
		return v["group"] == gvk.Group && v["version"] == gvk.Version && v["kind"] == gvk.Kind
	}
	return false
}

// TestV2Definitions checks the special types and Go shapes in v2's terms.
func TestV2Definitions(t *testing.T) {
	var doc struct {
		Definitions map[string]map[string]any `json:"definitions"`
	}
	if err := json.Unmarshal(uncompressed(t, testHandler(t).v2.json), &doc); err != nil {
		t.Fatal(err)
	}
	defs := doc.Definitions
	tests := []struct {
		name, path, want string
	}{
		{"io.k8s.apimachinery.pkg.api.resource.Quantity", "type", "string"},
		{"io.k8s.apimachinery.pkg.util.intstr.IntOrString", "type", "string"},
		{"io.k8s.apimachinery.pkg.util.intstr.IntOrString", "format", "int-or-string"},
		{"io.k8s.apimachinery.pkg.apis.meta.v1.Time", "format", "date-time"},
		{"io.k8s.apimachinery.pkg.runtime.RawExtension", "type", "object"},
		{"io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1", "type", "object"},
		{"io.k8s.api.core.v1.ConfigMap", "properties.binaryData.additionalProperties.format", "byte"},
		{"io.k8s.api.core.v1.ConfigMap", "properties.data.additionalProperties.type", "string"},
		{"io.k8s.api.core.v1.PodSpec", "properties.containers.x-kubernetes-patch-merge-key", "name"},
		{"io.k8s.api.core.v1.PodSpec", "properties.volumes.x-kubernetes-patch-strategy", "merge,retainKeys"},
		{"io.k8s.api.core.v1.Pod", "properties.metadata.$ref", "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"},
		{"io.k8s.api.core.v1.ContainerPort", "properties.containerPort.format", "int32"},
		{"io.k8s.api.core.v1.ServicePort", "properties.targetPort.$ref", "#/definitions/io.k8s.apimachinery.pkg.util.intstr.IntOrString"},
		{"io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "properties.creationTimestamp.$ref", "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Time"},
	}
	for _, tt := range tests {
		t.Run(tt.name+"."+tt.path, func(t *testing.T) {
			var v any = defs[tt.name]
			if defs[tt.name] == nil {
				t.Fatalf("no definition %s", tt.name)
			}
			for _, k := range strings.Split(tt.path, ".") {
				m, _ := v.(map[string]any)
				v = m[k]
			}
			if v != tt.want {
				t.Errorf("%s = %v, want %q", tt.path, v, tt.want)
			}
		})
	}
	if q := defs["io.k8s.apimachinery.pkg.api.resource.Quantity"]["description"]; !strings.HasPrefix(q.(string), "Quantity is a fixed-point") {
		t.Errorf("Quantity description %q", q)
	}
}
