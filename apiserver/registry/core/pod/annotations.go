package pod

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// Annotations with meaning for pods, and their rules.

const (
	mirrorPodAnnotation      = corev1.MirrorPodAnnotationKey // kubernetes.io/config.mirror
	tolerationsAnnotation    = "scheduler.alpha.kubernetes.io/tolerations"
	deletionCostAnnotation   = corev1.PodDeletionCost // controller.kubernetes.io/pod-deletion-cost
	appArmorAnnotationPrefix = corev1.DeprecatedAppArmorBetaContainerAnnotationKeyPrefix
)

func validatePodSpecificAnnotations(annotations map[string]string, spec *corev1.PodSpec, p *field.Path, opts options) field.ErrorList {
	var errs field.ErrorList
	if v, ok := annotations[mirrorPodAnnotation]; ok && spec.NodeName == "" {
		errs = append(errs, field.Invalid(p.Key(mirrorPodAnnotation), v, "must set spec.nodeName if mirror pod annotation is set"))
	}
	if annotations[tolerationsAnnotation] != "" {
		var tolerations []corev1.Toleration
		if err := json.Unmarshal([]byte(annotations[tolerationsAnnotation]), &tolerations); err != nil {
			errs = append(errs, field.Invalid(p, tolerationsAnnotation, err.Error()))
		} else {
			errs = append(errs, validateTolerations(tolerations, p.Child(tolerationsAnnotation))...)
		}
	}
	if !opts.allowInvalidPodDeletionCost {
		if _, err := deletionCost(annotations); err != nil {
			errs = append(errs, field.Invalid(p.Key(deletionCostAnnotation), annotations[deletionCostAnnotation], "must be a 32bit integer"))
		}
	}
	errs = append(errs, validateSeccompAnnotations(annotations, p)...)
	return append(errs, validateAppArmorAnnotations(annotations, spec, p)...)
}

// deletionCost reads the pod-deletion-cost annotation: a 32-bit integer
// without a plus sign or leading zeros.
func deletionCost(annotations map[string]string) (int32, error) {
	v, ok := annotations[deletionCostAnnotation]
	if !ok {
		return 0, nil
	}
	if v == "" || !(v[0] == '-' || v == "0" || (v[0] >= '1' && v[0] <= '9')) {
		return 0, fmt.Errorf("invalid value %q", v)
	}
	i, err := strconv.ParseInt(v, 10, 32)
	if err != nil {
		return 0, err
	}
	return int32(i), nil
}

// validatePodAnnotationUpdates: AppArmor and mirror pod annotations may not
// be added, changed or removed.
func validatePodAnnotationUpdates(pod, old *corev1.Pod, p *field.Path, opts options) field.ErrorList {
	var errs field.ErrorList
	for k, ov := range old.Annotations {
		if nv, ok := pod.Annotations[k]; ok && nv == ov {
			continue
		}
		if strings.HasPrefix(k, appArmorAnnotationPrefix) {
			errs = append(errs, field.Forbidden(p.Key(k), "may not remove or update AppArmor annotations"))
		}
		if k == mirrorPodAnnotation {
			errs = append(errs, field.Forbidden(p.Key(k), "may not remove or update mirror pod annotation"))
		}
	}
	for k := range pod.Annotations {
		if _, ok := old.Annotations[k]; ok {
			continue
		}
		if strings.HasPrefix(k, appArmorAnnotationPrefix) {
			errs = append(errs, field.Forbidden(p.Key(k), "may not add AppArmor annotations"))
		}
		if k == mirrorPodAnnotation {
			errs = append(errs, field.Forbidden(p.Key(k), "may not add mirror pod annotation"))
		}
	}
	return append(errs, validatePodSpecificAnnotations(pod.Annotations, &pod.Spec, p, opts)...)
}

func validateSeccompAnnotationValue(v string, p *field.Path) field.ErrorList {
	switch {
	case v == corev1.SeccompProfileRuntimeDefault, v == corev1.DeprecatedSeccompProfileDockerDefault, v == corev1.SeccompProfileNameUnconfined:
		return nil
	case strings.HasPrefix(v, corev1.SeccompLocalhostProfileNamePrefix):
		return validateLocalDescendingPath(strings.TrimPrefix(v, corev1.SeccompLocalhostProfileNamePrefix), p)
	}
	return field.ErrorList{field.Invalid(p, v, "must be a valid seccomp profile")}
}

func validateSeccompAnnotations(annotations map[string]string, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	if v, ok := annotations[corev1.SeccompPodAnnotationKey]; ok {
		errs = append(errs, validateSeccompAnnotationValue(v, p.Child(corev1.SeccompPodAnnotationKey))...)
	}
	for _, k := range sortedKeys(annotations) {
		if strings.HasPrefix(k, corev1.SeccompContainerAnnotationKeyPrefix) {
			errs = append(errs, validateSeccompAnnotationValue(annotations[k], p.Child(k))...)
		}
	}
	return errs
}

func validateAppArmorAnnotations(annotations map[string]string, spec *corev1.PodSpec, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	for _, k := range sortedKeys(annotations) {
		if !strings.HasPrefix(k, appArmorAnnotationPrefix) {
			continue
		}
		name := strings.TrimPrefix(k, appArmorAnnotationPrefix)
		if !hasContainer(spec, name) {
			errs = append(errs, field.Invalid(p.Key(k), name, "container not found"))
		}
		v := annotations[k]
		if v != "" && v != corev1.DeprecatedAppArmorBetaProfileRuntimeDefault && v != corev1.DeprecatedAppArmorBetaProfileNameUnconfined &&
			!strings.HasPrefix(v, corev1.DeprecatedAppArmorBetaProfileNamePrefix) {
			errs = append(errs, field.Invalid(p.Key(k), v, fmt.Sprintf("invalid AppArmor profile name: %q", v)))
		}
	}
	return errs
}

func hasContainer(spec *corev1.PodSpec, name string) bool {
	found := false
	visitContainers(spec, func(c *corev1.Container, _ containerAt) {
		found = found || c.Name == name
	})
	return found
}

// validateSeccompAnnotationsAndFields: where both the deprecated
// annotation and the field are set, they must agree.
func validateSeccompAnnotationsAndFields(annotations map[string]string, spec *corev1.PodSpec, specPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	if sc := spec.SecurityContext; sc != nil && sc.SeccompProfile != nil {
		if v, ok := annotations[corev1.SeccompPodAnnotationKey]; ok {
			errs = append(errs, seccompMatch(v, sc.SeccompProfile, specPath.Child("securityContext", "seccompProfile"))...)
		}
	}
	if !hasKeyWithPrefix(annotations, corev1.SeccompContainerAnnotationKeyPrefix) {
		return errs
	}
	visitContainers(spec, func(c *corev1.Container, at containerAt) {
		if c.SecurityContext == nil || c.SecurityContext.SeccompProfile == nil {
			return
		}
		if v, ok := annotations[corev1.SeccompContainerAnnotationKeyPrefix+c.Name]; ok {
			errs = append(errs, seccompMatch(v, c.SecurityContext.SeccompProfile, at.path(specPath).Child("securityContext", "seccompProfile"))...)
		}
	})
	return errs
}

func seccompMatch(v string, f *corev1.SeccompProfile, p *field.Path) field.ErrorList {
	mismatch := field.ErrorList{field.Forbidden(p.Child("type"), "seccomp type in annotation and field must match")}
	switch f.Type {
	case corev1.SeccompProfileTypeUnconfined:
		if v != corev1.SeccompProfileNameUnconfined {
			return mismatch
		}
	case corev1.SeccompProfileTypeRuntimeDefault:
		if v != corev1.SeccompProfileRuntimeDefault && v != corev1.DeprecatedSeccompProfileDockerDefault {
			return mismatch
		}
	case corev1.SeccompProfileTypeLocalhost:
		if !strings.HasPrefix(v, corev1.SeccompLocalhostProfileNamePrefix) {
			return mismatch
		}
		if f.LocalhostProfile == nil || strings.TrimPrefix(v, corev1.SeccompLocalhostProfileNamePrefix) != *f.LocalhostProfile {
			return field.ErrorList{field.Forbidden(p.Child("localhostProfile"), "seccomp profile in annotation and field must match")}
		}
	}
	return nil
}

// validateAppArmorAnnotationsAndFields: the deprecated per-container
// annotation and the effective field must agree (not for Windows pods).
func validateAppArmorAnnotationsAndFields(annotations map[string]string, spec *corev1.PodSpec, specPath *field.Path) field.ErrorList {
	if spec.OS != nil && spec.OS.Name == corev1.Windows {
		return nil
	}
	if !hasKeyWithPrefix(annotations, appArmorAnnotationPrefix) {
		return nil // nothing to agree with
	}
	var errs field.ErrorList
	var podProfile *corev1.AppArmorProfile
	if spec.SecurityContext != nil {
		podProfile = spec.SecurityContext.AppArmorProfile
	}
	visitContainers(spec, func(c *corev1.Container, at containerAt) {
		profile := podProfile
		if c.SecurityContext != nil && c.SecurityContext.AppArmorProfile != nil {
			profile = c.SecurityContext.AppArmorProfile
		}
		v, ok := annotations[appArmorAnnotationPrefix+c.Name]
		if profile == nil || !ok {
			return
		}
		p := at.path(specPath).Child("securityContext", "appArmorProfile")
		mismatch := field.Forbidden(p.Child("type"), "apparmor type in annotation and field must match")
		switch profile.Type {
		case corev1.AppArmorProfileTypeUnconfined:
			if v != corev1.DeprecatedAppArmorBetaProfileNameUnconfined {
				errs = append(errs, mismatch)
			}
		case corev1.AppArmorProfileTypeRuntimeDefault:
			if v != corev1.DeprecatedAppArmorBetaProfileRuntimeDefault {
				errs = append(errs, mismatch)
			}
		case corev1.AppArmorProfileTypeLocalhost:
			if !strings.HasPrefix(v, corev1.DeprecatedAppArmorBetaProfileNamePrefix) {
				errs = append(errs, mismatch)
			} else if profile.LocalhostProfile == nil || strings.TrimPrefix(v, corev1.DeprecatedAppArmorBetaProfileNamePrefix) != *profile.LocalhostProfile {
				errs = append(errs, field.Forbidden(p.Child("localhostProfile"), "apparmor profile in annotation and field must match"))
			}
		}
	})
	return errs
}

// hasKeyWithPrefix reports whether a key of m starts with prefix, so that
// looking up prefix+name for every container is worth it.
func hasKeyWithPrefix(m map[string]string, prefix string) bool {
	for k := range m {
		if strings.HasPrefix(k, prefix) {
			return true
		}
	}
	return false
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
