package discovery

import (
	"reflect"

	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/version"
)

// Resource is one served resource, as the registry describes it.
type Resource struct {
	Group, Version, Resource string // "apps", "v1", "deployments"
	Kind                     string // "Deployment"
	SingularName             string // "deployment"
	Namespaced               bool
	// Verbs are the kube verbs: create, delete, deletecollection, get,
	// list, patch, update, watch.
	Verbs        []string
	ShortNames   []string // "deploy"
	Categories   []string // "all"
	Subresources []Subresource
	// GoType and ListGoType are the object and list types (for OpenAPI).
	GoType     reflect.Type
	ListGoType reflect.Type
}

// Subresource is a subresource of a Resource: status, scale, binding,
// eviction, log, exec, token, …. Group and Version name the kind it
// answers with when that differs from its parent's (scale answers
// autoscaling/v1 Scale); empty means the parent's group and version.
type Subresource struct {
	Name, Kind, Group, Version string
	Verbs                      []string
	GoType                     reflect.Type
}

// GroupVersion is the resource's group and version.
func (r Resource) GroupVersion() schema.GroupVersion {
	return schema.GroupVersion{Group: r.Group, Version: r.Version}
}

// GroupVersionKind is the kind the subresource answers with.
func (s Subresource) GroupVersionKind(parent Resource) schema.GroupVersionKind {
	gvk := schema.GroupVersionKind{Group: s.Group, Version: s.Version, Kind: s.Kind}
	if gvk.Group == "" && gvk.Version == "" {
		gvk.Group, gvk.Version = parent.Group, parent.Version
	}
	if gvk.Kind == "" {
		gvk.Kind = parent.Kind
	}
	return gvk
}

// Info is the /version document.
type Info = version.Info
