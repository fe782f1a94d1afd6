package pod

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	metav1validation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	"k8s.io/apimachinery/pkg/util/validation"
)

// optionsFor picks the validation options for a pod, given the stored
// one (nil on create): rules added since a pod was stored do not block its updates.
func optionsFor(old *corev1.Pod) options {
	opts := options{resourceIsPod: true}
	if old == nil {
		return opts
	}
	_, err := deletionCost(old.Annotations)
	opts.allowInvalidPodDeletionCost = err != nil
	opts.allowRelaxedEnvVarNames = usesRelaxedEnvVarNames(&old.Spec)
	opts.allowInvalidLabelValueInSelector = hasInvalidAffinityLabelValue(&old.Spec)
	opts.allowIndivisibleHugePages = usesIndivisibleHugePages(&old.Spec)
	opts.allowNamespacedSysctlsForHostNet = usesNamespacedSysctlsWithHostNamespaces(&old.Spec)
	for _, c := range old.Spec.TopologySpreadConstraints {
		if len(metav1validation.ValidateLabelSelector(c.LabelSelector, metav1validation.LabelSelectorValidationOptions{}, nil)) > 0 {
			opts.allowInvalidTopologySpreadSelector = true
		}
	}
	for _, v := range old.Spec.Volumes {
		if v.Projected == nil {
			continue
		}
		for _, s := range v.Projected.Sources {
			if t := s.ServiceAccountToken; t != nil && len(validateLocalNonReservedPath(t.Path, nil)) > 0 {
				opts.allowNonLocalProjectedTokenPath = true
			}
		}
	}
	return opts
}

// usesRelaxedEnvVarNames: an environment variable name or envFrom prefix
// passes only the relaxed rule.
func usesRelaxedEnvVarNames(spec *corev1.PodSpec) bool {
	found := false
	visitContainers(spec, func(c *corev1.Container, _ containerAt) {
		for _, e := range c.Env {
			found = found || len(validation.IsEnvVarName(e.Name)) > 0
		}
		for _, e := range c.EnvFrom {
			found = found || (e.Prefix != "" && len(validation.IsEnvVarName(e.Prefix)) > 0)
		}
	})
	return found
}

func hasInvalidAffinityLabelValue(spec *corev1.PodSpec) bool {
	a := spec.Affinity
	if a == nil {
		return false
	}
	var terms []corev1.PodAffinityTerm
	if pa := a.PodAffinity; pa != nil {
		terms = append(terms, pa.RequiredDuringSchedulingIgnoredDuringExecution...)
		for _, t := range pa.PreferredDuringSchedulingIgnoredDuringExecution {
			terms = append(terms, t.PodAffinityTerm)
		}
	}
	if pa := a.PodAntiAffinity; pa != nil {
		terms = append(terms, pa.RequiredDuringSchedulingIgnoredDuringExecution...)
		for _, t := range pa.PreferredDuringSchedulingIgnoredDuringExecution {
			terms = append(terms, t.PodAffinityTerm)
		}
	}
	for _, t := range terms {
		if invalidSelectorValue(t.LabelSelector) || invalidSelectorValue(t.NamespaceSelector) {
			return true
		}
	}
	return false
}

func invalidSelectorValue(s *metav1.LabelSelector) bool {
	return s != nil && metav1validation.LabelSelectorHasInvalidLabelValue(s)
}

func usesIndivisibleHugePages(spec *corev1.PodSpec) bool {
	found := false
	visitContainers(spec, func(c *corev1.Container, _ containerAt) {
		for _, list := range []corev1.ResourceList{c.Resources.Requests, c.Resources.Limits} {
			for name, q := range list {
				if isHugePageResourceName(name) && !hugePagesDivisible(name, q) {
					found = true
				}
			}
		}
	})
	return found
}

func usesNamespacedSysctlsWithHostNamespaces(spec *corev1.PodSpec) bool {
	if spec.SecurityContext == nil {
		return false
	}
	for _, s := range spec.SecurityContext.Sysctls {
		switch ns := sysctlNamespace(s.Name); {
		case spec.HostNetwork && ns == "net", spec.HostIPC && ns == "ipc":
			return true
		}
	}
	return false
}
