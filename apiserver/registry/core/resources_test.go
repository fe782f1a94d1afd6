package core

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/scheme"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

func TestResources(t *testing.T) {
	s := scheme.New()
	names, shorts := map[string]bool{}, map[string]bool{}
	resources := Resources(Options{})
	if len(resources) != 13 {
		t.Errorf("%d resources", len(resources))
	}
	for _, r := range resources {
		t.Run(r.GVR.Resource, func(t *testing.T) {
			if r.GVR.Group != "" || r.GVR.Version != "v1" || names[r.GVR.Resource] {
				t.Errorf("GVR %v", r.GVR)
			}
			names[r.GVR.Resource] = true
			for _, sn := range r.ShortNames {
				if shorts[sn] {
					t.Errorf("short name %q twice", sn)
				}
				shorts[sn] = true
			}
			kinds, _, err := s.ObjectKinds(r.New())
			if err != nil || kinds[0].Kind != r.Kind || kinds[0].Version != "v1" {
				t.Errorf("New() is %v (%v), want %s", kinds, err, r.Kind)
			}
			listKinds, _, err := s.ObjectKinds(r.NewList())
			if err != nil || listKinds[0].Kind != r.Kind+"List" {
				t.Errorf("NewList() is %v (%v)", listKinds, err)
			}
			if r.Strategy == nil || r.Table == nil || r.StoragePrefix == "" || r.SingularName == "" {
				t.Errorf("incomplete resource %+v", r)
			}
			if _, err := r.Table([]storage.Object{r.New()}, true); err != nil {
				t.Errorf("table of an empty object: %v", err)
			}
		})
	}
}

// A strategy handed another kind reports it rather than panicking.
func TestWrongType(t *testing.T) {
	cm := &corev1.ConfigMap{}
	for _, r := range Resources(Options{}) {
		if r.Kind == "ConfigMap" || r.Kind == "ServiceAccount" { // the latter validates nothing of its own
			continue
		}
		r.Strategy.Default(cm)
		r.Strategy.PrepareForCreate(ctx, cm)
		r.Strategy.PrepareForUpdate(ctx, cm, cm)
		for _, errs := range []field.ErrorList{r.Strategy.Validate(ctx, cm), r.Strategy.ValidateUpdate(ctx, cm, cm)} {
			if len(errs) != 1 || errs[0].Type != field.ErrorTypeInternal {
				t.Errorf("%s: %v", r.Kind, errs)
			}
		}
		if r.Table != nil && r.Kind != "LimitRange" {
			if _, err := r.Table([]storage.Object{cm}, true); err == nil {
				t.Errorf("%s table accepted a configmap", r.Kind)
			}
		}
	}
}
