package discovery

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// apiVersions is the legacy /api document.
func apiVersions(serverAddress string) *metav1.APIVersions {
	return &metav1.APIVersions{
		TypeMeta: metav1.TypeMeta{Kind: "APIVersions"},
		Versions: []string{"v1"},
		ServerAddressByClientCIDRs: []metav1.ServerAddressByClientCIDR{
			{ClientCIDR: "0.0.0.0/0", ServerAddress: serverAddress},
		},
	}
}

// apiGroup is the legacy /apis/<group> document (and its entry in /apis).
func apiGroup(g group) metav1.APIGroup {
	out := metav1.APIGroup{Name: g.name, Versions: []metav1.GroupVersionForDiscovery{}}
	for _, v := range g.versions {
		out.Versions = append(out.Versions, metav1.GroupVersionForDiscovery{
			GroupVersion: groupVersionString(g.name, v.version),
			Version:      v.version,
		})
	}
	if len(out.Versions) > 0 {
		out.PreferredVersion = out.Versions[0]
	}
	return out
}

// apiGroupList is the legacy /apis document: every group but the core one.
func apiGroupList(groups []group) *metav1.APIGroupList {
	out := &metav1.APIGroupList{
		TypeMeta: metav1.TypeMeta{Kind: "APIGroupList", APIVersion: "v1"},
		Groups:   []metav1.APIGroup{},
	}
	for _, g := range groups {
		if g.name == "" {
			continue
		}
		out.Groups = append(out.Groups, apiGroup(g))
	}
	return out
}

// apiResourceList is the legacy /api/v1 or /apis/<group>/<version>
// document. As upstream, the core group's list carries no apiVersion.
func apiResourceList(gv groupVersion) *metav1.APIResourceList {
	out := &metav1.APIResourceList{
		TypeMeta:     metav1.TypeMeta{Kind: "APIResourceList", APIVersion: "v1"},
		GroupVersion: groupVersionString(gv.group, gv.version),
		APIResources: []metav1.APIResource{},
	}
	if gv.group == "" {
		out.APIVersion = ""
	}
	for _, r := range gv.resources {
		out.APIResources = append(out.APIResources, metav1.APIResource{
			Name:         r.Resource,
			SingularName: r.SingularName,
			Namespaced:   r.Namespaced,
			Kind:         r.Kind,
			Verbs:        sortedCopy(r.Verbs),
			ShortNames:   r.ShortNames,
			Categories:   r.Categories,
		})
		for _, s := range sortedSubresources(r) {
			gvk := s.GroupVersionKind(r)
			entry := metav1.APIResource{
				Name:       r.Resource + "/" + s.Name,
				Namespaced: r.Namespaced,
				Kind:       gvk.Kind,
				Verbs:      sortedCopy(s.Verbs),
			}
			if gvk.GroupVersion() != r.GroupVersion() {
				entry.Group, entry.Version = gvk.Group, gvk.Version
			}
			out.APIResources = append(out.APIResources, entry)
		}
	}
	// Upstream lists resources and subresources in one sorted run:
	// "pods", "pods/log", "pods/status", "podtemplates".
	sortAPIResources(out.APIResources)
	return out
}
