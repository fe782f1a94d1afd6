package app

import (
	"reflect"

	"github.com/skiff-dev/skiff/apiserver/discovery"
	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/registry/apps"
	"github.com/skiff-dev/skiff/apiserver/registry/autoscaling"
	"github.com/skiff-dev/skiff/apiserver/registry/batch"
	"github.com/skiff-dev/skiff/apiserver/registry/coordination"
	"github.com/skiff-dev/skiff/apiserver/registry/core"
	"github.com/skiff-dev/skiff/apiserver/registry/core/pod"
	"github.com/skiff-dev/skiff/apiserver/registry/core/service"
	"github.com/skiff-dev/skiff/apiserver/registry/endpointslice"
	"github.com/skiff-dev/skiff/apiserver/registry/events"
	"github.com/skiff-dev/skiff/apiserver/registry/networking"
	"github.com/skiff-dev/skiff/apiserver/registry/policy"
	"github.com/skiff-dev/skiff/apiserver/registry/rbac"
	"github.com/skiff-dev/skiff/apiserver/registry/scheduling"
	"github.com/skiff-dev/skiff/apiserver/registry/storageclass"
)

// servedResources lists every resource the server serves.
func servedResources(o *Options) []*registry.Resource {
	var all []*registry.Resource
	all = append(all, core.Resources(core.Options{EventTTL: o.EventTTL})...)
	all = append(all, events.Resource(o.EventTTL))
	all = append(all, pod.Resources()...)
	all = append(all, service.Resources()...)
	for _, group := range [][]*registry.Resource{
		apps.Resources(), batch.Resources(), coordination.Resources(), endpointslice.Resources(),
		networking.Resources(), storageclass.Resources(), scheduling.Resources(), policy.Resources(),
		autoscaling.Resources(), rbac.Resources(),
	} {
		all = append(all, group...)
	}
	return all
}

// verbs are what every registry-backed resource serves.
var verbs = []string{"create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"}

// discoveryResources describes the served resources for discovery and
// OpenAPI.
func discoveryResources(all []*registry.Resource) []discovery.Resource {
	out := make([]discovery.Resource, 0, len(all))
	for _, r := range all {
		d := discovery.Resource{
			Group: r.GVR.Group, Version: r.GVR.Version, Resource: r.GVR.Resource,
			Kind: r.Kind, SingularName: r.SingularName, Namespaced: r.Namespaced,
			Verbs: verbs, ShortNames: r.ShortNames, Categories: r.Categories,
			GoType:     reflect.TypeOf(r.New()).Elem(),
			ListGoType: reflect.TypeOf(r.NewList()).Elem(),
		}
		if r.Status != nil {
			d.Subresources = append(d.Subresources, discovery.Subresource{
				Name: "status", Verbs: []string{"get", "patch", "update"}, GoType: d.GoType,
			})
		}
		for name := range r.Subresources {
			d.Subresources = append(d.Subresources, discovery.Subresource{Name: name, Verbs: []string{"update"}, GoType: d.GoType})
		}
		out = append(out, d)
	}
	return out
}
