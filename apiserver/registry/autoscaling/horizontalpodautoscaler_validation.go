package autoscaling

import (
	"fmt"
	"slices"
	"strings"

	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/validation/path"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/registry/validname"
)

// Upstream's bounds on scaling behavior.
const (
	maxPeriodSeconds              = 1800
	maxStabilizationWindowSeconds = 3600
)

// The values upstream accepts, sorted as its messages list them.
var (
	metricSourceTypes = []string{
		string(autoscalingv2.ContainerResourceMetricSourceType), string(autoscalingv2.ExternalMetricSourceType),
		string(autoscalingv2.ObjectMetricSourceType), string(autoscalingv2.PodsMetricSourceType),
		string(autoscalingv2.ResourceMetricSourceType)}
	selectPolicies  = []string{string(autoscalingv2.DisabledPolicySelect), string(autoscalingv2.MaxChangePolicySelect), string(autoscalingv2.MinChangePolicySelect)}
	scalingPolicies = []string{string(autoscalingv2.PercentScalingPolicy), string(autoscalingv2.PodsScalingPolicy)}
)

// validateSpec is upstream's validateHorizontalPodAutoscalerSpec (scale to
// zero, an alpha feature, is off: minReplicas is at least 1).
func validateSpec(spec *autoscalingv2.HorizontalPodAutoscalerSpec, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	if spec.MinReplicas != nil && *spec.MinReplicas < 1 {
		errs = append(errs, field.Invalid(fldPath.Child("minReplicas"), *spec.MinReplicas, "must be greater than or equal to 1"))
	}
	if spec.MaxReplicas < 1 {
		errs = append(errs, field.Invalid(fldPath.Child("maxReplicas"), spec.MaxReplicas, "must be greater than 0"))
	}
	if spec.MinReplicas != nil && spec.MaxReplicas < *spec.MinReplicas {
		errs = append(errs, field.Invalid(fldPath.Child("maxReplicas"), spec.MaxReplicas, "must be greater than or equal to `minReplicas`"))
	}
	errs = append(errs, validateReference(spec.ScaleTargetRef.Kind, spec.ScaleTargetRef.Name, fldPath.Child("scaleTargetRef"))...)
	for i := range spec.Metrics {
		errs = append(errs, validateMetricSpec(&spec.Metrics[i], fldPath.Child("metrics").Index(i))...)
	}
	if b := spec.Behavior; b != nil {
		errs = append(errs, validateScalingRules(b.ScaleUp, fldPath.Child("behavior", "scaleUp"))...)
		errs = append(errs, validateScalingRules(b.ScaleDown, fldPath.Child("behavior", "scaleDown"))...)
	}
	return errs
}

// validateReference checks a cross-version object reference's kind and name.
func validateReference(kind, name string, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	for _, f := range []struct{ child, value string }{{"kind", kind}, {"name", name}} {
		if f.value == "" {
			errs = append(errs, field.Required(fldPath.Child(f.child), ""))
			continue
		}
		for _, msg := range path.IsValidPathSegmentName(f.value) {
			errs = append(errs, field.Invalid(fldPath.Child(f.child), f.value, msg))
		}
	}
	return errs
}

func validateMetricSpec(spec *autoscalingv2.MetricSpec, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	if spec.Type == "" {
		errs = append(errs, field.Required(fldPath.Child("type"), "must specify a metric source type"))
	}
	if !slices.Contains(metricSourceTypes, string(spec.Type)) {
		errs = append(errs, field.NotSupported(fldPath.Child("type"), spec.Type, metricSourceTypes))
	}
	// The sources given, in upstream's order; only the first is validated.
	var present []string
	add := func(name string, set bool, validate func() field.ErrorList) {
		if !set {
			return
		}
		present = append(present, name)
		if len(present) == 1 {
			errs = append(errs, validate()...)
		}
	}
	add("object", spec.Object != nil, func() field.ErrorList { return validateObjectSource(spec.Object, fldPath.Child("object")) })
	add("external", spec.External != nil, func() field.ErrorList { return validateExternalSource(spec.External, fldPath.Child("external")) })
	add("pods", spec.Pods != nil, func() field.ErrorList { return validatePodsSource(spec.Pods, fldPath.Child("pods")) })
	add("resource", spec.Resource != nil, func() field.ErrorList { return validateResourceSource(spec.Resource, fldPath.Child("resource")) })
	add("containerResource", spec.ContainerResource != nil, func() field.ErrorList {
		return validateContainerResourceSource(spec.ContainerResource, fldPath.Child("containerResource"))
	})

	expected := map[autoscalingv2.MetricSourceType]struct {
		name string
		set  bool
	}{
		autoscalingv2.ObjectMetricSourceType:            {"object", spec.Object != nil},
		autoscalingv2.PodsMetricSourceType:              {"pods", spec.Pods != nil},
		autoscalingv2.ResourceMetricSourceType:          {"resource", spec.Resource != nil},
		autoscalingv2.ExternalMetricSourceType:          {"external", spec.External != nil},
		autoscalingv2.ContainerResourceMetricSourceType: {"containerResource", spec.ContainerResource != nil},
	}
	want, known := expected[spec.Type]
	switch {
	case !known:
		errs = append(errs, field.NotSupported(fldPath.Child("type"), spec.Type, metricSourceTypes))
	case !want.set:
		errs = append(errs, field.Required(fldPath.Child(want.name), "must populate information for the given metric source"))
	}
	if len(present) != 1 {
		for _, name := range present {
			if name != want.name {
				errs = append(errs, field.Forbidden(fldPath.Child(name), "must populate the given metric source only"))
			}
		}
	}
	return errs
}

func validateObjectSource(src *autoscalingv2.ObjectMetricSource, fldPath *field.Path) field.ErrorList {
	errs := validateReference(src.DescribedObject.Kind, src.DescribedObject.Name, fldPath.Child("describedObject"))
	errs = append(errs, validateMetricIdentifier(src.Metric, fldPath.Child("metric"))...)
	errs = append(errs, validateMetricTarget(src.Target, fldPath.Child("target"))...)
	if src.Target.Value == nil && src.Target.AverageValue == nil {
		errs = append(errs, field.Required(fldPath.Child("target", "averageValue"), "must set either a target value or averageValue"))
	}
	return errs
}

func validateExternalSource(src *autoscalingv2.ExternalMetricSource, fldPath *field.Path) field.ErrorList {
	errs := validateMetricIdentifier(src.Metric, fldPath.Child("metric"))
	errs = append(errs, validateMetricTarget(src.Target, fldPath.Child("target"))...)
	if src.Target.Value == nil && src.Target.AverageValue == nil {
		errs = append(errs, field.Required(fldPath.Child("target", "averageValue"), "must set either a target value for metric or a per-pod target"))
	}
	if src.Target.Value != nil && src.Target.AverageValue != nil {
		errs = append(errs, field.Forbidden(fldPath.Child("target", "value"), "may not set both a target value for metric and a per-pod target"))
	}
	return errs
}

func validatePodsSource(src *autoscalingv2.PodsMetricSource, fldPath *field.Path) field.ErrorList {
	errs := validateMetricIdentifier(src.Metric, fldPath.Child("metric"))
	errs = append(errs, validateMetricTarget(src.Target, fldPath.Child("target"))...)
	if src.Target.AverageValue == nil {
		errs = append(errs, field.Required(fldPath.Child("target", "averageValue"), "must specify a positive target averageValue"))
	}
	return errs
}

func validateContainerResourceSource(src *autoscalingv2.ContainerResourceMetricSource, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	if src.Name == "" {
		errs = append(errs, field.Required(fldPath.Child("name"), "must specify a resource name"))
	} else {
		errs = append(errs, validateContainerResourceName(string(src.Name), fldPath.Child("name"))...)
	}
	if src.Container == "" {
		errs = append(errs, field.Required(fldPath.Child("container"), "must specify a container"))
	}
	for _, msg := range containerNameErrors(src.Container) {
		errs = append(errs, field.Invalid(fldPath.Child("container"), src.Container, msg))
	}
	return append(errs, validateTargetChoice(src.Target, fldPath)...)
}

// validateResourceSource checks a resource metric: a name and either a raw
// value or a utilization.
func validateResourceSource(src *autoscalingv2.ResourceMetricSource, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	if src.Name == "" {
		errs = append(errs, field.Required(fldPath.Child("name"), "must specify a resource name"))
	}
	return append(errs, validateTargetChoice(src.Target, fldPath)...)
}

// validateTargetChoice: a valid target with exactly one of a raw value and
// a utilization.
func validateTargetChoice(target autoscalingv2.MetricTarget, fldPath *field.Path) field.ErrorList {
	errs := validateMetricTarget(target, fldPath.Child("target"))
	if target.AverageUtilization == nil && target.AverageValue == nil {
		errs = append(errs, field.Required(fldPath.Child("target", "averageUtilization"), "must set either a target raw value or a target utilization"))
	}
	if target.AverageUtilization != nil && target.AverageValue != nil {
		errs = append(errs, field.Forbidden(fldPath.Child("target", "averageValue"), "may not set both a target raw value and a target utilization"))
	}
	return errs
}

func containerNameErrors(name string) []string {
	if name == "" {
		return nil
	}
	return validname.IsDNS1123Label(name)
}

// validateContainerResourceName: a qualified name; unprefixed names are
// the standard container resources.
func validateContainerResourceName(name string, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	for _, msg := range validname.IsQualifiedName(name) {
		errs = append(errs, field.Invalid(fldPath, name, msg))
	}
	if len(errs) == 0 && !strings.Contains(name, "/") {
		switch corev1.ResourceName(name) {
		case corev1.ResourceCPU, corev1.ResourceMemory, corev1.ResourceEphemeralStorage:
		default:
			if !strings.HasPrefix(name, corev1.ResourceHugePagesPrefix) {
				errs = append(errs, field.Invalid(fldPath, name, "must be a standard resource for containers"))
			}
		}
	}
	return errs
}

func validateMetricTarget(mt autoscalingv2.MetricTarget, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	if mt.Type == "" {
		errs = append(errs, field.Required(fldPath.Child("type"), "must specify a metric target type"))
	}
	if mt.Type != autoscalingv2.UtilizationMetricType && mt.Type != autoscalingv2.ValueMetricType && mt.Type != autoscalingv2.AverageValueMetricType {
		errs = append(errs, field.Invalid(fldPath.Child("type"), mt.Type, "must be either Utilization, Value, or AverageValue"))
	}
	if mt.Value != nil && mt.Value.Sign() != 1 {
		errs = append(errs, field.Invalid(fldPath.Child("value"), mt.Value, "must be positive"))
	}
	if mt.AverageValue != nil && mt.AverageValue.Sign() != 1 {
		errs = append(errs, field.Invalid(fldPath.Child("averageValue"), mt.AverageValue, "must be positive"))
	}
	if mt.AverageUtilization != nil && *mt.AverageUtilization < 1 {
		errs = append(errs, field.Invalid(fldPath.Child("averageUtilization"), mt.AverageUtilization, "must be greater than 0"))
	}
	return errs
}

func validateMetricIdentifier(id autoscalingv2.MetricIdentifier, fldPath *field.Path) field.ErrorList {
	if id.Name == "" {
		return field.ErrorList{field.Required(fldPath.Child("name"), "must specify a metric name")}
	}
	var errs field.ErrorList
	for _, msg := range path.IsValidPathSegmentName(id.Name) {
		errs = append(errs, field.Invalid(fldPath.Child("name"), id.Name, msg))
	}
	return errs
}

func validateScalingRules(rules *autoscalingv2.HPAScalingRules, fldPath *field.Path) field.ErrorList {
	if rules == nil {
		return nil
	}
	var errs field.ErrorList
	if w := rules.StabilizationWindowSeconds; w != nil && *w < 0 {
		errs = append(errs, field.Invalid(fldPath.Child("stabilizationWindowSeconds"), w, "must be greater than or equal to zero"))
	}
	if w := rules.StabilizationWindowSeconds; w != nil && *w > maxStabilizationWindowSeconds {
		errs = append(errs, field.Invalid(fldPath.Child("stabilizationWindowSeconds"), w, fmt.Sprintf("must be less than or equal to %v", maxStabilizationWindowSeconds)))
	}
	if p := rules.SelectPolicy; p != nil && !slices.Contains(selectPolicies, string(*p)) {
		errs = append(errs, field.NotSupported(fldPath.Child("selectPolicy"), p, selectPolicies))
	}
	policiesPath := fldPath.Child("policies")
	if len(rules.Policies) == 0 {
		errs = append(errs, field.Required(policiesPath, "must specify at least one Policy"))
	}
	for i, p := range rules.Policies {
		idx := policiesPath.Index(i)
		if p.Type != autoscalingv2.PodsScalingPolicy && p.Type != autoscalingv2.PercentScalingPolicy {
			errs = append(errs, field.NotSupported(idx.Child("type"), p.Type, scalingPolicies))
		}
		if p.Value <= 0 {
			errs = append(errs, field.Invalid(idx.Child("value"), p.Value, "must be greater than zero"))
		}
		if p.PeriodSeconds <= 0 {
			errs = append(errs, field.Invalid(idx.Child("periodSeconds"), p.PeriodSeconds, "must be greater than zero"))
		}
		if p.PeriodSeconds > maxPeriodSeconds {
			errs = append(errs, field.Invalid(idx.Child("periodSeconds"), p.PeriodSeconds, fmt.Sprintf("must be less than or equal to %v", maxPeriodSeconds)))
		}
	}
	return errs
}
