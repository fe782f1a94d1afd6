package apps

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	metav1validation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/registry/core/pod"
)

// Helpers shared by the controllers' kinds, which all carry a selector and
// a pod template.

// validateRequiredSelector checks spec.selector: required, strictly valid
// and not empty. kind words the message as upstream does ("deployment",
// "statefulset"; replica sets say "deployment" too, as upstream).
func validateRequiredSelector(sel *metav1.LabelSelector, kind string, fldPath *field.Path) field.ErrorList {
	if sel == nil {
		return field.ErrorList{field.Required(fldPath, "")}
	}
	errs := metav1validation.ValidateLabelSelector(sel, metav1validation.LabelSelectorValidationOptions{}, fldPath)
	if len(sel.MatchLabels)+len(sel.MatchExpressions) == 0 {
		errs = append(errs, field.Invalid(fldPath, sel, "empty selector is invalid for "+kind))
	}
	return errs
}

// selectorMatchesTemplate reports the template labels the selector does
// not select (an empty selector selects everything).
func selectorMatchesTemplate(sel labels.Selector, t *corev1.PodTemplateSpec, fldPath *field.Path) field.ErrorList {
	if sel.Empty() || sel.Matches(labels.Set(t.Labels)) {
		return nil
	}
	return field.ErrorList{field.Invalid(fldPath.Child("metadata", "labels"), t.Labels, "`selector` does not match template `labels`")}
}

// validateReplicatedTemplate is upstream's ValidatePodTemplateSpecForReplicaSet,
// used by deployments and replica sets: the template must be selected, be a
// valid pod template, restart Always and have no active deadline.
func validateReplicatedTemplate(t *corev1.PodTemplateSpec, sel *metav1.LabelSelector, fldPath, selPath *field.Path) field.ErrorList {
	s, err := metav1.LabelSelectorAsSelector(sel)
	if err != nil {
		return field.ErrorList{field.Invalid(selPath, sel, "invalid label selector")}
	}
	errs := selectorMatchesTemplate(s, t, fldPath)
	errs = append(errs, pod.ValidatePodTemplateSpec(t, fldPath)...)
	if t.Spec.RestartPolicy != corev1.RestartPolicyAlways {
		errs = append(errs, field.NotSupported(fldPath.Child("spec", "restartPolicy"), t.Spec.RestartPolicy, []string{string(corev1.RestartPolicyAlways)}))
	}
	if t.Spec.ActiveDeadlineSeconds != nil {
		errs = append(errs, field.Forbidden(fldPath.Child("spec", "activeDeadlineSeconds"), "activeDeadlineSeconds in ReplicaSet is not Supported"))
	}
	return errs
}

func int32Value(p *int32) int32 {
	if p == nil {
		return 0
	}
	return *p
}

func int32Ptr(v int32) *int32 { return &v }
