package pod

import (
	corev1 "k8s.io/api/core/v1"
)

// dropDisabledFields clears what belongs to features that are off by
// default in v1.31 (alpha, or beta and off), unless the stored pod (old;
// nil on create) already uses it, as upstream's feature gates do:
// in-place resize, user namespaces (hostUsers), dynamic resource
// allocation, image volumes, supplemental groups policy, procMount,
// cluster trust bundle projections and resource health in statuses.
func dropDisabledFields(pod, old *corev1.Pod) {
	var oldSpec *corev1.PodSpec
	var oldStatus *corev1.PodStatus
	if old != nil {
		oldSpec, oldStatus = &old.Spec, &old.Status
	}
	spec, status := &pod.Spec, &pod.Status

	if !usesResize(oldSpec, oldStatus) {
		visitContainers(spec, func(c *corev1.Container, _ containerAt) { c.ResizePolicy = nil })
		status.Resize = ""
		forStatuses(status, func(s *corev1.ContainerStatus) { s.AllocatedResources, s.Resources = nil, nil })
	}
	if oldSpec == nil || oldSpec.HostUsers == nil {
		spec.HostUsers = nil
	}
	if oldSpec == nil || !usesResourceClaims(oldSpec) {
		spec.ResourceClaims = nil
		visitContainers(spec, func(c *corev1.Container, _ containerAt) { c.Resources.Claims = nil })
		status.ResourceClaimStatuses = nil
	}
	if oldSpec == nil || !usesImageVolumes(oldSpec) {
		kept := spec.Volumes[:0:0]
		for _, v := range spec.Volumes {
			if v.Image == nil {
				kept = append(kept, v)
			}
		}
		if len(kept) != len(spec.Volumes) {
			spec.Volumes = kept
		}
	}
	if spec.SecurityContext != nil && (oldSpec == nil || oldSpec.SecurityContext == nil || oldSpec.SecurityContext.SupplementalGroupsPolicy == nil) {
		spec.SecurityContext.SupplementalGroupsPolicy = nil
	}
	if oldStatus == nil || !usesStatusUser(oldStatus) {
		forStatuses(status, func(s *corev1.ContainerStatus) { s.User = nil })
	}
	if oldSpec == nil || !usesProcMount(oldSpec) {
		visitContainers(spec, func(c *corev1.Container, _ containerAt) {
			if c.SecurityContext != nil {
				c.SecurityContext.ProcMount = nil
			}
		})
	}
	if oldSpec == nil || !usesClusterTrustBundles(oldSpec) {
		for i := range spec.Volumes {
			if p := spec.Volumes[i].Projected; p != nil {
				for j := range p.Sources {
					p.Sources[j].ClusterTrustBundle = nil
				}
			}
		}
	}
	if oldStatus == nil || !usesResourceHealth(oldStatus) {
		forStatuses(status, func(s *corev1.ContainerStatus) { s.AllocatedResourcesStatus = nil })
	}
}

func forStatuses(s *corev1.PodStatus, f func(*corev1.ContainerStatus)) {
	for _, list := range [][]corev1.ContainerStatus{s.InitContainerStatuses, s.ContainerStatuses, s.EphemeralContainerStatuses} {
		for i := range list {
			f(&list[i])
		}
	}
}

func anyStatus(s *corev1.PodStatus, f func(*corev1.ContainerStatus) bool) bool {
	found := false
	forStatuses(s, func(cs *corev1.ContainerStatus) { found = found || f(cs) })
	return found
}

func anyContainer(spec *corev1.PodSpec, f func(*corev1.Container) bool) bool {
	found := false
	visitContainers(spec, func(c *corev1.Container, _ containerAt) { found = found || f(c) })
	return found
}

func usesResize(spec *corev1.PodSpec, status *corev1.PodStatus) bool {
	if spec == nil {
		return false
	}
	return anyContainer(spec, func(c *corev1.Container) bool { return len(c.ResizePolicy) > 0 }) ||
		status.Resize != "" || anyStatus(status, func(s *corev1.ContainerStatus) bool { return s.AllocatedResources != nil || s.Resources != nil })
}

func usesResourceClaims(spec *corev1.PodSpec) bool {
	return len(spec.ResourceClaims) > 0 || anyContainer(spec, func(c *corev1.Container) bool { return len(c.Resources.Claims) > 0 })
}

func usesImageVolumes(spec *corev1.PodSpec) bool {
	for _, v := range spec.Volumes {
		if v.Image != nil {
			return true
		}
	}
	return false
}

func usesStatusUser(s *corev1.PodStatus) bool {
	return anyStatus(s, func(cs *corev1.ContainerStatus) bool { return cs.User != nil })
}

func usesResourceHealth(s *corev1.PodStatus) bool {
	return anyStatus(s, func(cs *corev1.ContainerStatus) bool { return cs.AllocatedResourcesStatus != nil })
}

func usesProcMount(spec *corev1.PodSpec) bool {
	return anyContainer(spec, func(c *corev1.Container) bool {
		return c.SecurityContext != nil && c.SecurityContext.ProcMount != nil
	})
}

func usesClusterTrustBundles(spec *corev1.PodSpec) bool {
	for _, v := range spec.Volumes {
		if v.Projected == nil {
			continue
		}
		for _, s := range v.Projected.Sources {
			if s.ClusterTrustBundle != nil {
				return true
			}
		}
	}
	return false
}
