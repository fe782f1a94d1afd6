package fieldmanager

import (
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv1 "k8s.io/api/autoscaling/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/managedfields"
	"sigs.k8s.io/structured-merge-diff/v4/fieldpath"

	"github.com/skiff-dev/skiff/apiserver/scheme"
)

// TestScaleSubresource follows the README's recipe for /scale: the Scale
// kind's manager with subresource "scale", between managedfields'
// ScaleHandler's ToSubresource and ToParent.
func TestScaleSubresource(t *testing.T) {
	scaleGVK := schema.GroupVersionKind{Group: "autoscaling", Version: "v1", Kind: "Scale"}
	m, err := New(nil, scheme.New(), []Kind{{GVK: deploymentGVK}, {GVK: scaleGVK, Subresources: []string{"scale"}}})
	if err != nil {
		t.Fatal(err)
	}
	out, err := m.ForKind(deploymentGVK, "").Update(nil, deployment(corev1.Container{Name: "app", Image: "app:1"}), "kubectl-create")
	if err != nil {
		t.Fatal(err)
	}
	d := withUID(out.(*appsv1.Deployment))

	handler := managedfields.NewScaleHandler(d.ManagedFields, deploymentGVK.GroupVersion(),
		managedfields.ResourcePathMappings{"apps/v1": fieldpath.MakePathOrDie("spec", "replicas")})
	old := &autoscalingv1.Scale{ObjectMeta: d.ObjectMeta, Spec: autoscalingv1.ScaleSpec{Replicas: *d.Spec.Replicas}}
	if old.ManagedFields, err = handler.ToSubresource(); err != nil {
		t.Fatal(err)
	}
	scaled := old.DeepCopy()
	scaled.Spec.Replicas = 5
	out, err = m.ForKind(scaleGVK, "scale").Update(old, scaled, "kubectl")
	if err != nil {
		t.Fatal(err)
	}
	if d.ManagedFields, err = handler.ToParent(out.(*autoscalingv1.Scale).ManagedFields); err != nil {
		t.Fatal(err)
	}
	// ToParent gives a manager new to the parent no time, as upstream.
	equalEntries(t, entriesOf(t, d, "kubectl"), []entry{
		{"kubectl", "Update", "apps/v1", "FieldsV1", "scale", `{"f:spec":{"f:replicas":{}}}`},
		{"kubectl-create", "Update", "apps/v1", "FieldsV1", "", `{"f:spec":{"f:selector":{},` +
			`"f:template":{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"app\"}":{".":{},` +
			`"f:image":{},"f:name":{},"f:resources":{}}}}}}}`},
	})
}
