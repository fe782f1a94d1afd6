package core

import (
	"encoding/json"
	"fmt"
	"net"
	"strings"

	corev1 "k8s.io/api/core/v1"
	apimachineryvalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1validation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	"k8s.io/apimachinery/pkg/util/sets"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/registry/validname"
)

// The scheduler's legacy node annotations, still validated upstream.
const (
	taintsAnnotationKey          = "scheduler.alpha.kubernetes.io/taints"
	preferAvoidPodsAnnotationKey = "scheduler.alpha.kubernetes.io/preferAvoidPods"
)

const podCIDRChangeMessage = `node updates may not change podCIDR except from "" to valid`

// validateNode checks what a node must satisfy on create and update.
func validateNode(n *corev1.Node) field.ErrorList {
	meta := field.NewPath("metadata")
	errs := validateNodeAnnotations(n.Annotations, meta.Child("annotations"))
	if len(n.Spec.Taints) > 0 {
		// Upstream reports taint errors under metadata.taints.
		errs = append(errs, validateTaints(n.Spec.Taints, meta.Child("taints"))...)
	}
	errs = append(errs, validateNodeResources(n)...)
	if len(n.Spec.PodCIDRs) > 0 {
		errs = append(errs, validatePodCIDRs(n.Spec.PodCIDRs)...)
	}
	return errs
}

// validateNodeResources checks capacity and allocatable quantities.
func validateNodeResources(n *corev1.Node) field.ErrorList {
	var errs field.ErrorList
	for k, v := range n.Status.Capacity {
		errs = append(errs, validateResourceQuantity(k, v, field.NewPath("status", "capacity", string(k)))...)
	}
	for k, v := range n.Status.Allocatable {
		errs = append(errs, validateResourceQuantity(k, v, field.NewPath("status", "allocatable", string(k)))...)
	}
	return errs
}

// validatePodCIDRs: valid CIDRs, at most one per IP family, no duplicates.
func validatePodCIDRs(cidrs []string) field.ErrorList {
	p := field.NewPath("spec", "podCIDRs")
	var errs field.ErrorList
	for i, c := range cidrs {
		errs = append(errs, validation.IsValidCIDR(p.Index(i), c)...)
	}
	if len(cidrs) < 2 {
		return errs
	}
	dual, err := isDualStack(cidrs)
	if err != nil {
		errs = append(errs, field.InternalError(p, fmt.Errorf("invalid PodCIDRs. failed to check with dual stack with error:%v", err)))
	}
	if !dual || len(cidrs) > 2 {
		errs = append(errs, field.Invalid(p, cidrs, "may specify no more than one CIDR for each IP family"))
	}
	seen := sets.New[string]()
	for i, c := range cidrs {
		if seen.Has(c) {
			errs = append(errs, field.Duplicate(p.Index(i), c))
		}
		seen.Insert(c)
	}
	return errs
}

// isDualStack says whether the CIDRs hold both an IPv4 and an IPv6 one.
func isDualStack(cidrs []string) (bool, error) {
	v4, v6 := false, false
	for _, c := range cidrs {
		ip, _, err := net.ParseCIDR(c)
		if err != nil {
			return false, err
		}
		if ip.To4() != nil {
			v4 = true
		} else {
			v6 = true
		}
	}
	return v4 && v6, nil
}

// validateTaints: qualified keys, label values, known effects, each
// key+effect once.
func validateTaints(taints []corev1.Taint, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	seen := map[corev1.TaintEffect]sets.Set[string]{}
	for i, t := range taints {
		p := fldPath.Index(i)
		errs = append(errs, metav1validation.ValidateLabelName(t.Key, p.Child("key"))...)
		if msgs := validname.IsValidLabelValue(t.Value); len(msgs) != 0 {
			errs = append(errs, field.Invalid(p.Child("value"), t.Value, strings.Join(msgs, ";")))
		}
		errs = append(errs, validateTaintEffect(t.Effect, p.Child("effect"))...)
		if seen[t.Effect].Has(t.Key) {
			dup := field.Duplicate(p, t)
			dup.Detail = "taints must be unique by key and effect pair"
			errs = append(errs, dup)
			continue
		}
		if seen[t.Effect] == nil {
			seen[t.Effect] = sets.New[string]()
		}
		seen[t.Effect].Insert(t.Key)
	}
	return errs
}

var taintEffects = []corev1.TaintEffect{corev1.TaintEffectNoSchedule, corev1.TaintEffectPreferNoSchedule, corev1.TaintEffectNoExecute}

func validateTaintEffect(effect corev1.TaintEffect, fldPath *field.Path) field.ErrorList {
	if effect == "" {
		return field.ErrorList{field.Required(fldPath, "")}
	}
	for _, e := range taintEffects {
		if effect == e {
			return nil
		}
	}
	return field.ErrorList{field.NotSupported(fldPath, effect, taintEffects)}
}

// validateNodeAnnotations checks the scheduler's JSON annotations.
func validateNodeAnnotations(annotations map[string]string, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	if v := annotations[taintsAnnotationKey]; v != "" {
		var taints []corev1.Taint
		if err := json.Unmarshal([]byte(v), &taints); err != nil {
			errs = append(errs, field.Invalid(fldPath, taintsAnnotationKey, err.Error()))
		} else if len(taints) > 0 {
			errs = append(errs, validateTaints(taints, fldPath.Child(taintsAnnotationKey))...)
		}
	}
	if v := annotations[preferAvoidPodsAnnotationKey]; v != "" {
		var avoid corev1.AvoidPods
		if err := json.Unmarshal([]byte(v), &avoid); err != nil {
			return append(errs, field.Invalid(fldPath.Child("AvoidPods"), preferAvoidPodsAnnotationKey, err.Error()))
		}
		for i, e := range avoid.PreferAvoidPods {
			p := fldPath.Child(preferAvoidPodsAnnotationKey).Index(i).Child("PodSignature")
			switch ctl := e.PodSignature.PodController; {
			case ctl == nil:
				errs = append(errs, field.Required(p, ""))
			case ctl.Controller == nil || !*ctl.Controller:
				errs = append(errs, field.Invalid(p.Child("PodController", "Controller"), false, "must point to a controller"))
			}
		}
	}
	return errs
}

// validateNodeUpdate checks what may change: podCIDRs and providerID only
// from unset, externalID never; and the update's own consistency.
func validateNodeUpdate(n, old *corev1.Node) field.ErrorList {
	meta := field.NewPath("metadata")
	errs := validateNodeAnnotations(n.Annotations, meta.Child("annotations"))
	errs = append(errs, validateNodeResources(n)...)
	seen := map[corev1.NodeAddress]bool{}
	for i, a := range n.Status.Addresses {
		if seen[a] {
			errs = append(errs, field.Duplicate(field.NewPath("status", "addresses").Index(i), a))
		}
		seen[a] = true
	}
	if len(old.Spec.PodCIDRs) > 0 {
		p := field.NewPath("spec", "podCIDRs")
		if len(old.Spec.PodCIDRs) != len(n.Spec.PodCIDRs) {
			errs = append(errs, field.Forbidden(p, podCIDRChangeMessage))
		} else {
			for i, c := range old.Spec.PodCIDRs {
				if c != n.Spec.PodCIDRs[i] {
					errs = append(errs, field.Forbidden(p, podCIDRChangeMessage))
				}
			}
		}
	}
	if old.Spec.ProviderID != "" && old.Spec.ProviderID != n.Spec.ProviderID {
		errs = append(errs, field.Forbidden(field.NewPath("spec", "providerID"), `node updates may not change providerID except from "" to valid`))
	}
	if n.Spec.ConfigSource != nil {
		errs = append(errs, validateConfigSource(n.Spec.ConfigSource, true, field.NewPath("spec", "configSource"))...)
	}
	if c := n.Status.Config; c != nil {
		p := field.NewPath("status", "config")
		for _, s := range []struct {
			name string
			src  *corev1.NodeConfigSource
		}{{"assigned", c.Assigned}, {"active", c.Active}, {"lastKnownGood", c.LastKnownGood}} {
			if s.src != nil {
				errs = append(errs, validateConfigSource(s.src, false, p.Child(s.name))...)
			}
		}
	}
	if len(n.Spec.Taints) > 0 {
		errs = append(errs, validateTaints(n.Spec.Taints, meta.Child("taints"))...)
	}
	if n.Spec.DoNotUseExternalID != old.Spec.DoNotUseExternalID {
		errs = append(errs, field.Forbidden(field.NewPath("spec", "externalID"), "may not be updated"))
	}
	return errs
}

// validateConfigSource checks a (deprecated) dynamic kubelet config
// source: in the spec uid and resourceVersion may not be set, in the
// status they must be.
func validateConfigSource(src *corev1.NodeConfigSource, spec bool, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	if src.ConfigMap != nil {
		cm := src.ConfigMap
		p := fldPath.Child("configMap")
		if spec {
			if cm.UID != "" {
				errs = append(errs, field.Forbidden(p.Child("uid"), "uid must not be set in spec"))
			}
			if cm.ResourceVersion != "" {
				errs = append(errs, field.Forbidden(p.Child("resourceVersion"), "resourceVersion must not be set in spec"))
			}
		} else {
			if cm.UID == "" {
				errs = append(errs, field.Required(p.Child("uid"), "uid must be set in status"))
			}
			if cm.ResourceVersion == "" {
				errs = append(errs, field.Required(p.Child("resourceVersion"), "resourceVersion must be set in status"))
			}
		}
		errs = append(errs, validateConfigMapConfigSource(cm, p)...)
	} else {
		errs = append(errs, field.Invalid(fldPath, src, "exactly one reference subfield must be non-nil"))
	}
	return errs
}

func validateConfigMapConfigSource(cm *corev1.ConfigMapNodeConfigSource, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	if cm.Namespace == "" {
		errs = append(errs, field.Required(p.Child("namespace"), "namespace must be set"))
	} else {
		for _, msg := range apimachineryvalidation.ValidateNamespaceName(cm.Namespace, false) {
			errs = append(errs, field.Invalid(p.Child("namespace"), cm.Namespace, msg))
		}
	}
	if cm.Name == "" {
		errs = append(errs, field.Required(p.Child("name"), "name must be set"))
	} else {
		for _, msg := range apimachineryvalidation.NameIsDNSSubdomain(cm.Name, false) {
			errs = append(errs, field.Invalid(p.Child("name"), cm.Name, msg))
		}
	}
	if cm.KubeletConfigKey == "" {
		errs = append(errs, field.Required(p.Child("kubeletConfigKey"), "kubeletConfigKey must be set"))
	} else {
		for _, msg := range validation.IsConfigMapKey(cm.KubeletConfigKey) {
			errs = append(errs, field.Invalid(p.Child("kubeletConfigKey"), cm.KubeletConfigKey, msg))
		}
	}
	return errs
}
