package autoscaling

import (
	"strings"
	"testing"

	autoscalingv1 "k8s.io/api/autoscaling/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/skiff-dev/skiff/apiserver/fieldmanager"
	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/scheme"
)

// TestManagedFieldsAcrossVersions: a write through autoscaling/v1 keeps
// the managedFields entries written through autoscaling/v2 and moves only
// the fields it changed, as upstream's field manager does across versions.
func TestManagedFieldsAcrossVersions(t *testing.T) {
	s := scheme.New()
	v2 := hpaResource(nil)
	v1 := v1Resource(v2)
	if err := registry.AddConversions(s, []*registry.Resource{v2, v1}); err != nil {
		t.Fatal(err)
	}
	v1GVK := autoscalingv1.SchemeGroupVersion.WithKind("HorizontalPodAutoscaler")
	v2GVK := autoscalingv2.SchemeGroupVersion.WithKind("HorizontalPodAutoscaler")
	m, err := fieldmanager.New(nil, s, []fieldmanager.Kind{{GVK: v1GVK}, {GVK: v2GVK}})
	if err != nil {
		t.Fatal(err)
	}
	created := &autoscalingv2.HorizontalPodAutoscaler{
		TypeMeta:   metav1.TypeMeta{APIVersion: "autoscaling/v2", Kind: "HorizontalPodAutoscaler"},
		ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "default"},
		Spec: autoscalingv2.HorizontalPodAutoscalerSpec{
			ScaleTargetRef: autoscalingv2.CrossVersionObjectReference{APIVersion: "apps/v1", Kind: "Deployment", Name: "web"},
			MinReplicas:    ptr(int32(1)), MaxReplicas: 5,
		},
	}
	obj, err := m.ForKind(v2GVK, "").Update(nil, created, "creator")
	if err != nil {
		t.Fatal(err)
	}
	stored := obj.(*autoscalingv2.HorizontalPodAutoscaler)

	// Through autoscaling/v1: the stored object as v1 shows it, with
	// maxReplicas changed.
	live := v2ToV1(stored).(*autoscalingv1.HorizontalPodAutoscaler)
	next := live.DeepCopy()
	next.Spec.MaxReplicas = 9
	out, err := m.ForKind(v1GVK, "").Update(live, next, "scaler")
	if err != nil {
		t.Fatal(err)
	}
	entries := map[string]metav1.ManagedFieldsEntry{}
	for _, e := range out.(*autoscalingv1.HorizontalPodAutoscaler).ManagedFields {
		entries[e.Manager] = e
	}
	c, ok := entries["creator"]
	if !ok || c.APIVersion != "autoscaling/v2" {
		t.Fatalf("creator's entry lost or changed version; entries %+v", entries)
	}
	if got := string(c.FieldsV1.Raw); strings.Contains(got, "maxReplicas") || !strings.Contains(got, "minReplicas") {
		t.Errorf("creator's fields %s: want minReplicas kept and maxReplicas moved to scaler", got)
	}
	sc, ok := entries["scaler"]
	if !ok || sc.APIVersion != "autoscaling/v1" || !strings.Contains(string(sc.FieldsV1.Raw), "maxReplicas") {
		t.Errorf("scaler's entry %+v: want autoscaling/v1 owning maxReplicas", sc)
	}
}
