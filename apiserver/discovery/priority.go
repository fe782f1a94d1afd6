package discovery

import (
	"sort"

	"k8s.io/apimachinery/pkg/version"
)

// groupPriority is upstream kube-apiserver's groupPriorityMinimum of each
// built-in group: discovery lists groups by it, highest first, so that
// kubectl resolves an ambiguous resource name ("events") to the same group
// as against upstream. Groups not listed come after, by name.
var groupPriority = map[string]int{
	"":                             18000,
	"apiregistration.k8s.io":       18000,
	"apps":                         17800,
	"events.k8s.io":                17750,
	"authentication.k8s.io":        17700,
	"authorization.k8s.io":         17600,
	"autoscaling":                  17500,
	"batch":                        17400,
	"certificates.k8s.io":          17300,
	"networking.k8s.io":            17200,
	"policy":                       17100,
	"rbac.authorization.k8s.io":    17000,
	"storage.k8s.io":               16800,
	"admissionregistration.k8s.io": 16700,
	"apiextensions.k8s.io":         16700,
	"scheduling.k8s.io":            16600,
	"coordination.k8s.io":          16500,
	"node.k8s.io":                  16300,
	"discovery.k8s.io":             16200,
	"flowcontrol.apiserver.k8s.io": 16100,
	"internal.apiserver.k8s.io":    16000,
	"resource.k8s.io":              15900,
	"storagemigration.k8s.io":      15800,
}

// sortGroups orders group names as upstream's discovery does.
func sortGroups(groups []string) {
	sort.SliceStable(groups, func(i, j int) bool {
		pi, pj := groupPriority[groups[i]], groupPriority[groups[j]]
		if pi != pj {
			return pi > pj
		}
		return groups[i] < groups[j]
	})
}

// sortVersions orders a group's versions preferred first: GA before beta
// before alpha, higher numbers first (autoscaling: v2, v1).
func sortVersions(versions []string) {
	sort.SliceStable(versions, func(i, j int) bool {
		return version.CompareKubeAwareVersionStrings(versions[i], versions[j]) > 0
	})
}
