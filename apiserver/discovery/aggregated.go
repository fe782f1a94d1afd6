package discovery

import (
	apidiscoveryv2 "k8s.io/api/apidiscovery/v2"
	apidiscoveryv2beta1 "k8s.io/api/apidiscovery/v2beta1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// aggregatedV2 is the aggregated discovery document of groups: the core
// group alone for /api, every other group for /apis.
func aggregatedV2(groups []group, core bool) *apidiscoveryv2.APIGroupDiscoveryList {
	out := &apidiscoveryv2.APIGroupDiscoveryList{
		TypeMeta: metav1.TypeMeta{Kind: "APIGroupDiscoveryList", APIVersion: apidiscoveryv2.SchemeGroupVersion.String()},
		Items:    []apidiscoveryv2.APIGroupDiscovery{},
	}
	for _, g := range groups {
		if (g.name == "") != core {
			continue
		}
		item := apidiscoveryv2.APIGroupDiscovery{ObjectMeta: metav1.ObjectMeta{Name: g.name}}
		for _, v := range g.versions {
			item.Versions = append(item.Versions, apidiscoveryv2.APIVersionDiscovery{
				Version:   v.version,
				Resources: aggregatedResources(v),
				Freshness: apidiscoveryv2.DiscoveryFreshnessCurrent,
			})
		}
		out.Items = append(out.Items, item)
	}
	return out
}

func aggregatedResources(gv groupVersion) []apidiscoveryv2.APIResourceDiscovery {
	out := []apidiscoveryv2.APIResourceDiscovery{}
	for _, r := range gv.resources {
		scope := apidiscoveryv2.ScopeCluster
		if r.Namespaced {
			scope = apidiscoveryv2.ScopeNamespace
		}
		entry := apidiscoveryv2.APIResourceDiscovery{
			Resource:         r.Resource,
			ResponseKind:     &metav1.GroupVersionKind{Group: r.Group, Version: r.Version, Kind: r.Kind},
			Scope:            scope,
			SingularResource: r.SingularName,
			Verbs:            sortedCopy(r.Verbs),
			ShortNames:       r.ShortNames,
			Categories:       r.Categories,
		}
		for _, s := range sortedSubresources(r) {
			gvk := s.GroupVersionKind(r)
			entry.Subresources = append(entry.Subresources, apidiscoveryv2.APISubresourceDiscovery{
				Subresource:  s.Name,
				ResponseKind: &metav1.GroupVersionKind{Group: gvk.Group, Version: gvk.Version, Kind: gvk.Kind},
				Verbs:        sortedCopy(s.Verbs),
			})
		}
		out = append(out, entry)
	}
	return out
}

// aggregatedV2Beta1 is the same document in apidiscovery.k8s.io/v2beta1,
// whose shape is v2's.
func aggregatedV2Beta1(v2 *apidiscoveryv2.APIGroupDiscoveryList) *apidiscoveryv2beta1.APIGroupDiscoveryList {
	out := &apidiscoveryv2beta1.APIGroupDiscoveryList{
		TypeMeta: metav1.TypeMeta{Kind: "APIGroupDiscoveryList", APIVersion: apidiscoveryv2beta1.SchemeGroupVersion.String()},
		Items:    []apidiscoveryv2beta1.APIGroupDiscovery{},
	}
	for _, g := range v2.Items {
		item := apidiscoveryv2beta1.APIGroupDiscovery{ObjectMeta: g.ObjectMeta}
		for _, v := range g.Versions {
			version := apidiscoveryv2beta1.APIVersionDiscovery{
				Version:   v.Version,
				Freshness: apidiscoveryv2beta1.DiscoveryFreshness(v.Freshness),
				Resources: []apidiscoveryv2beta1.APIResourceDiscovery{},
			}
			for _, r := range v.Resources {
				res := apidiscoveryv2beta1.APIResourceDiscovery{
					Resource:         r.Resource,
					ResponseKind:     r.ResponseKind,
					Scope:            apidiscoveryv2beta1.ResourceScope(r.Scope),
					SingularResource: r.SingularResource,
					Verbs:            r.Verbs,
					ShortNames:       r.ShortNames,
					Categories:       r.Categories,
				}
				for _, s := range r.Subresources {
					res.Subresources = append(res.Subresources, apidiscoveryv2beta1.APISubresourceDiscovery{
						Subresource: s.Subresource, ResponseKind: s.ResponseKind, Verbs: s.Verbs,
					})
				}
				version.Resources = append(version.Resources, res)
			}
			item.Versions = append(item.Versions, version)
		}
		out.Items = append(out.Items, item)
	}
	return out
}
