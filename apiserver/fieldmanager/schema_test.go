package fieldmanager

import (
	"reflect"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// widget is a kind whose list carries only a patch merge key, with no
// list-type markers: server-side apply must key it by that field.
type widget struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`
	Parts             []widgetPart `json:"parts,omitempty" patchStrategy:"merge" patchMergeKey:"name"`
	Tags              []string     `json:"tags,omitempty"`
}

type widgetPart struct {
	Name string `json:"name"`
	Size int32  `json:"size,omitempty"`
}

func (w *widget) DeepCopyObject() runtime.Object {
	out := *w
	w.ObjectMeta.DeepCopyInto(&out.ObjectMeta)
	out.Parts = append([]widgetPart(nil), w.Parts...)
	out.Tags = append([]string(nil), w.Tags...)
	return &out
}

var widgetGVK = schema.GroupVersionKind{Group: "example.com", Version: "v1", Kind: "Widget"}

func newTestScheme(t *testing.T) *runtime.Scheme {
	t.Helper()
	s := runtime.NewScheme()
	s.AddKnownTypeWithName(widgetGVK, &widget{})
	return s
}

func TestPatchMergeKeyListsAreAssociative(t *testing.T) {
	m, err := New(nil, newTestScheme(t), []Kind{{GVK: widgetGVK}})
	if err != nil {
		t.Fatal(err)
	}
	km := m.ForKind(widgetGVK, "")
	w := &widget{ObjectMeta: metav1.ObjectMeta{Name: "w"}, Parts: []widgetPart{{Name: "wheel", Size: 2}}, Tags: []string{"red"}}
	out, err := km.Update(nil, w, "maker")
	if err != nil {
		t.Fatal(err)
	}
	equalEntries(t, entriesOf(t, out), []entry{{"maker", "Update", "example.com/v1", "FieldsV1", "",
		`{"f:parts":{".":{},"k:{\"name\":\"wheel\"}":{".":{},"f:name":{},"f:size":{}}},"f:tags":{}}`}})

	// An apply of another part keeps the first, owned by its manager.
	stored := withUID(out.(*widget))
	applied, err := km.Apply(stored, []byte(`{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w"},"parts":[{"name":"bell"}]}`), "ssa", false)
	if err != nil {
		t.Fatal(err)
	}
	if got := applied.(*widget).Parts; !reflect.DeepEqual(got, []widgetPart{{Name: "wheel", Size: 2}, {Name: "bell"}}) {
		t.Errorf("parts after apply = %+v", got)
	}
}

func TestSchemaExtensions(t *testing.T) {
	defs := newSchemas()
	for _, k := range []struct {
		obj runtime.Object
		gvk schema.GroupVersionKind
	}{{&appsv1.Deployment{}, deploymentGVK}, {&corev1.Service{}, serviceGVK}} {
		if err := defs.addKind(reflect.TypeOf(k.obj), k.gvk); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		def, property string
		want          map[string]any
		wantDefault   any
	}{
		{"io.k8s.api.core.v1.PodSpec", "containers", map[string]any{
			"x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": []any{"name"},
			"x-kubernetes-patch-strategy": "merge", "x-kubernetes-patch-merge-key": "name",
		}, nil},
		{"io.k8s.api.core.v1.Container", "ports", map[string]any{
			"x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": []any{"containerPort", "protocol"},
			"x-kubernetes-patch-strategy": "merge", "x-kubernetes-patch-merge-key": "containerPort",
		}, nil},
		{"io.k8s.api.core.v1.ContainerPort", "protocol", nil, "TCP"},
		{"io.k8s.api.core.v1.ContainerPort", "containerPort", nil, int64(0)},
		{"io.k8s.api.core.v1.Container", "args", map[string]any{"x-kubernetes-list-type": "atomic"}, nil},
		{"io.k8s.api.core.v1.ServiceSpec", "selector", map[string]any{"x-kubernetes-map-type": "atomic"}, nil},
		{"io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "finalizers", map[string]any{
			"x-kubernetes-list-type": "set", "x-kubernetes-patch-strategy": "merge",
		}, nil},
		{"io.k8s.api.apps.v1.DeploymentSpec", "template", nil, map[string]any{}},
	}
	for _, tt := range tests {
		t.Run(tt.def+"."+tt.property, func(t *testing.T) {
			def, ok := defs.defs[tt.def]
			if !ok {
				t.Fatalf("no definition %s", tt.def)
			}
			prop, ok := def.Properties[tt.property]
			if !ok {
				t.Fatalf("no property %s", tt.property)
			}
			if len(tt.want) != len(prop.Extensions) || (len(tt.want) > 0 && !reflect.DeepEqual(map[string]any(prop.Extensions), tt.want)) {
				t.Errorf("extensions = %v, want %v", prop.Extensions, tt.want)
			}
			if !reflect.DeepEqual(prop.Default, tt.wantDefault) {
				t.Errorf("default = %#v, want %#v", prop.Default, tt.wantDefault)
			}
		})
	}

	if got := defs.defs["io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector"].Extensions["x-kubernetes-map-type"]; got != "atomic" {
		t.Errorf("LabelSelector x-kubernetes-map-type = %v, want atomic", got)
	}
	gvks := defs.defs["io.k8s.api.apps.v1.Deployment"].Extensions["x-kubernetes-group-version-kind"]
	if want := []any{map[string]any{"group": "apps", "version": "v1", "kind": "Deployment"}}; !reflect.DeepEqual(gvks, want) {
		t.Errorf("Deployment x-kubernetes-group-version-kind = %v, want %v", gvks, want)
	}
}
