package discovery

import (
	"sort"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// groupVersion holds the resources of one group version, sorted by name.
type groupVersion struct {
	group, version string
	resources      []Resource
}

// group holds one group's versions, preferred first.
type group struct {
	name     string
	versions []groupVersion
}

// catalog sorts resources into groups (core first, then by upstream's
// priority) and versions (preferred first).
func catalog(resources []Resource) []group {
	byGroup := map[string]map[string][]Resource{}
	for _, r := range resources {
		if byGroup[r.Group] == nil {
			byGroup[r.Group] = map[string][]Resource{}
		}
		byGroup[r.Group][r.Version] = append(byGroup[r.Group][r.Version], r)
	}
	names := make([]string, 0, len(byGroup))
	for name := range byGroup {
		names = append(names, name)
	}
	sortGroups(names)
	groups := make([]group, 0, len(names))
	for _, name := range names {
		versions := make([]string, 0, len(byGroup[name]))
		for v := range byGroup[name] {
			versions = append(versions, v)
		}
		sortVersions(versions)
		g := group{name: name}
		for _, v := range versions {
			rs := append([]Resource(nil), byGroup[name][v]...)
			sort.SliceStable(rs, func(i, j int) bool { return rs[i].Resource < rs[j].Resource })
			g.versions = append(g.versions, groupVersion{group: name, version: v, resources: rs})
		}
		groups = append(groups, g)
	}
	return groups
}

// groupVersionString is "apps/v1", or "v1" for the core group.
func groupVersionString(group, version string) string {
	if group == "" {
		return version
	}
	return group + "/" + version
}

// sortedCopy returns verbs sorted, as upstream lists them; nil stays an
// empty list so that JSON shows [].
func sortedCopy(verbs []string) []string {
	out := append([]string{}, verbs...)
	sort.Strings(out)
	return out
}

// sortedSubresources returns r's subresources sorted by name.
func sortedSubresources(r Resource) []Subresource {
	subs := append([]Subresource(nil), r.Subresources...)
	sort.SliceStable(subs, func(i, j int) bool { return subs[i].Name < subs[j].Name })
	return subs
}

func sortAPIResources(rs []metav1.APIResource) {
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].Name < rs[j].Name })
}
