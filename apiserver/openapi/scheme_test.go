package openapi

import (
	"reflect"
	"sort"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/skiff-dev/skiff/apiserver/discovery"
	"github.com/skiff-dev/skiff/apiserver/scheme"
)

// TestEveryServedKindBuilds builds the documents of every kind of the
// server's scheme that has an ObjectMeta and a list, the way the registry
// will hand them over.
func TestEveryServedKindBuilds(t *testing.T) {
	known := scheme.New().AllKnownTypes()
	var resources []discovery.Resource
	objectMeta := reflect.TypeOf(metav1.ObjectMeta{})
	for gvk, typ := range known {
		if strings.HasSuffix(gvk.Kind, "List") {
			continue
		}
		field, ok := typ.FieldByName("ObjectMeta")
		if !ok || field.Type != objectMeta {
			continue
		}
		list, ok := known[gvk.GroupVersion().WithKind(gvk.Kind+"List")]
		if !ok {
			continue
		}
		resources = append(resources, discovery.Resource{
			Group: gvk.Group, Version: gvk.Version, Resource: strings.ToLower(gvk.Kind) + "s", Kind: gvk.Kind,
			Namespaced: true, Verbs: allVerbs, GoType: typ, ListGoType: list,
		})
	}
	sort.Slice(resources, func(i, j int) bool {
		return resources[i].Kind+resources[i].Group < resources[j].Kind+resources[j].Group
	})
	if len(resources) < 40 {
		t.Fatalf("only %d kinds found", len(resources))
	}
	h, err := New(nil, resources, "v1.31.3")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d kinds, %d group versions, v2 %d bytes (%d gzipped)", len(resources), len(h.v3), len(uncompressed(t, h.v2.json)), len(h.v2.json))
}
