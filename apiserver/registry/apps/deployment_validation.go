package apps

import (
	appsv1 "k8s.io/api/apps/v1"
	apimachineryvalidation "k8s.io/apimachinery/pkg/api/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/registry"
)

// validateDeploymentSpec is upstream's ValidateDeploymentSpec.
func validateDeploymentSpec(spec *appsv1.DeploymentSpec, fldPath *field.Path) field.ErrorList {
	errs := apimachineryvalidation.ValidateNonnegativeField(int64(int32Value(spec.Replicas)), fldPath.Child("replicas"))
	errs = append(errs, validateRequiredSelector(spec.Selector, "deployment", fldPath.Child("selector"))...)
	errs = append(errs, validateReplicatedTemplate(&spec.Template, spec.Selector, fldPath.Child("template"), fldPath.Child("selector"))...)
	errs = append(errs, validateDeploymentStrategy(&spec.Strategy, fldPath.Child("strategy"))...)
	errs = append(errs, apimachineryvalidation.ValidateNonnegativeField(int64(spec.MinReadySeconds), fldPath.Child("minReadySeconds"))...)
	if spec.RevisionHistoryLimit != nil {
		errs = append(errs, apimachineryvalidation.ValidateNonnegativeField(int64(*spec.RevisionHistoryLimit), fldPath.Child("revisionHistoryLimit"))...)
	}
	if p := spec.ProgressDeadlineSeconds; p != nil {
		errs = append(errs, apimachineryvalidation.ValidateNonnegativeField(int64(*p), fldPath.Child("progressDeadlineSeconds"))...)
		if *p <= spec.MinReadySeconds {
			errs = append(errs, field.Invalid(fldPath.Child("progressDeadlineSeconds"), *p, "must be greater than minReadySeconds"))
		}
	}
	return errs
}

func validateDeploymentStrategy(s *appsv1.DeploymentStrategy, fldPath *field.Path) field.ErrorList {
	switch s.Type {
	case appsv1.RecreateDeploymentStrategyType:
		if s.RollingUpdate != nil {
			return field.ErrorList{field.Forbidden(fldPath.Child("rollingUpdate"), "may not be specified when strategy `type` is 'Recreate'")}
		}
	case appsv1.RollingUpdateDeploymentStrategyType:
		if s.RollingUpdate == nil {
			return field.ErrorList{field.Required(fldPath.Child("rollingUpdate"), "this should be defaulted and never be nil")}
		}
		return validateRollingUpdateDeployment(s.RollingUpdate, fldPath.Child("rollingUpdate"))
	default:
		return field.ErrorList{field.NotSupported(fldPath, s, []string{string(appsv1.RecreateDeploymentStrategyType), string(appsv1.RollingUpdateDeploymentStrategyType)})}
	}
	return nil
}

func validateRollingUpdateDeployment(ru *appsv1.RollingUpdateDeployment, fldPath *field.Path) field.ErrorList {
	mu, ms := intOrStringValue(ru.MaxUnavailable), intOrStringValue(ru.MaxSurge)
	errs := validatePositiveIntOrPercent(mu, fldPath.Child("maxUnavailable"))
	errs = append(errs, validatePositiveIntOrPercent(ms, fldPath.Child("maxSurge"))...)
	if intOrPercentValue(mu) == 0 && intOrPercentValue(ms) == 0 {
		errs = append(errs, field.Invalid(fldPath.Child("maxUnavailable"), mu, "may not be 0 when `maxSurge` is 0"))
	}
	return append(errs, notMoreThan100Percent(mu, fldPath.Child("maxUnavailable"))...)
}

// validateDeploymentStatus is upstream's ValidateDeploymentStatus.
func validateDeploymentStatus(st *appsv1.DeploymentStatus, fldPath *field.Path) field.ErrorList {
	updated := registry.Count("updatedReplicas", int64(st.UpdatedReplicas))
	ready := registry.Count("readyReplicas", int64(st.ReadyReplicas))
	available := registry.Count("availableReplicas", int64(st.AvailableReplicas))
	errs := registry.Nonnegative(fldPath,
		registry.Count("observedGeneration", st.ObservedGeneration), registry.Count("replicas", int64(st.Replicas)),
		updated, ready, available, registry.Count("unavailableReplicas", int64(st.UnavailableReplicas)))
	if st.CollisionCount != nil {
		errs = append(errs, apimachineryvalidation.ValidateNonnegativeField(int64(*st.CollisionCount), fldPath.Child("collisionCount"))...)
	}
	errs = append(errs, registry.NotAbove(fldPath, int64(st.Replicas), "cannot be greater than status.replicas", updated, ready, available)...)
	return append(errs, registry.NotAbove(fldPath, ready.Value, "cannot be greater than readyReplicas", available)...)
}

// validateCollisionCount refuses a decremented status.collisionCount.
func validateCollisionCount(count, old *int32, fldPath *field.Path) field.ErrorList {
	decremented := (count == nil && old != nil) || (count != nil && old != nil && *count < *old)
	if !decremented {
		return nil
	}
	return field.ErrorList{field.Invalid(fldPath, int32Value(count), "cannot be decremented")}
}
