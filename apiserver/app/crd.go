package app

import (
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/skiff-dev/skiff/apiserver/discovery"
	"github.com/skiff-dev/skiff/apiserver/endpoints"
)

// crds is apiextensions.k8s.io/v1 CustomResourceDefinitions, served as an
// empty collection: skiff does not serve custom resources yet, and says so
// to whoever tries to define one, while the clients that only look for
// definitions (kubectl's validation of a kind it does not know, to tell a
// typo from a custom resource) find none, as on a cluster without any.
var crds = endpoints.EmptyCollection{
	GVR:    schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"},
	Kind:   "CustomResourceDefinition",
	Reason: "skiff does not serve CustomResourceDefinitions (custom resources) yet",
}

// crdDiscovery lists crds as upstream's discovery does, with only the
// verbs they answer (no watch: informers and the garbage collector pass
// them by). It has no OpenAPI document.
var crdDiscovery = discovery.Resource{
	Group: crds.GVR.Group, Version: crds.GVR.Version, Resource: crds.GVR.Resource,
	Kind: crds.Kind, SingularName: "customresourcedefinition",
	Verbs: []string{"get", "list"}, ShortNames: []string{"crd", "crds"}, Categories: []string{"api-extensions"},
}
