package apps

import (
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	apimachineryvalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	metav1validation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// validateStatefulSetSpec is upstream's ValidateStatefulSetSpec. As in
// 1.31, the pod template's spec is not validated beyond its restart
// policy and active deadline (upstream added that in 1.34): only its
// labels and annotations are.
func validateStatefulSetSpec(spec *appsv1.StatefulSetSpec, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	switch spec.PodManagementPolicy {
	case "":
		errs = append(errs, field.Required(fldPath.Child("podManagementPolicy"), ""))
	case appsv1.OrderedReadyPodManagement, appsv1.ParallelPodManagement:
	default:
		errs = append(errs, field.Invalid(fldPath.Child("podManagementPolicy"), spec.PodManagementPolicy, "must be 'OrderedReady' or 'Parallel'"))
	}
	errs = append(errs, validateStatefulSetUpdateStrategy(&spec.UpdateStrategy, fldPath.Child("updateStrategy"))...)
	if p := spec.PersistentVolumeClaimRetentionPolicy; p != nil {
		path := fldPath.Child("persistentVolumeClaimRetentionPolicy")
		errs = append(errs, validateRetentionPolicyType(p.WhenDeleted, path.Child("whenDeleted"))...)
		errs = append(errs, validateRetentionPolicyType(p.WhenScaled, path.Child("whenScaled"))...)
	}
	errs = append(errs, apimachineryvalidation.ValidateNonnegativeField(int64(int32Value(spec.Replicas)), fldPath.Child("replicas"))...)
	errs = append(errs, apimachineryvalidation.ValidateNonnegativeField(int64(spec.MinReadySeconds), fldPath.Child("minReadySeconds"))...)
	if spec.Ordinals != nil {
		errs = append(errs, apimachineryvalidation.ValidateNonnegativeField(int64(spec.Ordinals.Start), fldPath.Child("ordinals.start"))...)
	}
	errs = append(errs, validateRequiredSelector(spec.Selector, "statefulset", fldPath.Child("selector"))...)
	if sel, err := metav1.LabelSelectorAsSelector(spec.Selector); err != nil {
		errs = append(errs, field.Invalid(fldPath.Child("selector"), spec.Selector, ""))
	} else {
		tPath := fldPath.Child("template")
		errs = append(errs, selectorMatchesTemplate(sel, &spec.Template, tPath)...)
		errs = append(errs, metav1validation.ValidateLabels(spec.Template.Labels, tPath.Child("labels"))...)
		errs = append(errs, apimachineryvalidation.ValidateAnnotations(spec.Template.Annotations, tPath.Child("annotations"))...)
	}
	if spec.Template.Spec.RestartPolicy != corev1.RestartPolicyAlways {
		errs = append(errs, field.NotSupported(fldPath.Child("template", "spec", "restartPolicy"), spec.Template.Spec.RestartPolicy, []string{string(corev1.RestartPolicyAlways)}))
	}
	if spec.Template.Spec.ActiveDeadlineSeconds != nil {
		errs = append(errs, field.Forbidden(fldPath.Child("template", "spec", "activeDeadlineSeconds"), "activeDeadlineSeconds in StatefulSet is not Supported"))
	}
	return errs
}

func validateStatefulSetUpdateStrategy(s *appsv1.StatefulSetUpdateStrategy, fldPath *field.Path) field.ErrorList {
	switch s.Type {
	case "":
		return field.ErrorList{field.Required(fldPath, "")}
	case appsv1.OnDeleteStatefulSetStrategyType:
		if s.RollingUpdate != nil {
			value := rollingUpdateStatefulSetStrategy{Partition: int32Value(s.RollingUpdate.Partition), MaxUnavailable: s.RollingUpdate.MaxUnavailable}
			return field.ErrorList{field.Invalid(fldPath.Child("rollingUpdate"), value, "only allowed for updateStrategy 'RollingUpdate'")}
		}
	case appsv1.RollingUpdateStatefulSetStrategyType:
		if ru := s.RollingUpdate; ru != nil {
			path := fldPath.Child("rollingUpdate")
			errs := apimachineryvalidation.ValidateNonnegativeField(int64(int32Value(ru.Partition)), path.Child("partition"))
			if ru.MaxUnavailable != nil {
				mu := *ru.MaxUnavailable
				errs = append(errs, validatePositiveIntOrPercent(mu, path.Child("maxUnavailable"))...)
				if intOrPercentValue(mu) == 0 {
					errs = append(errs, field.Invalid(path.Child("maxUnavailable"), mu, "cannot be 0"))
				}
				errs = append(errs, notMoreThan100Percent(mu, path.Child("maxUnavailable"))...)
			}
			return errs
		}
	default:
		return field.ErrorList{field.Invalid(fldPath, s, "must be 'RollingUpdate' or 'OnDelete'")}
	}
	return nil
}

// rollingUpdateStatefulSetStrategy prints as upstream's internal type does
// in error messages (no pointer for the partition).
type rollingUpdateStatefulSetStrategy struct {
	Partition      int32
	MaxUnavailable *intstr.IntOrString
}

func validateRetentionPolicyType(t appsv1.PersistentVolumeClaimRetentionPolicyType, fldPath *field.Path) field.ErrorList {
	switch t {
	case appsv1.RetainPersistentVolumeClaimRetentionPolicyType, appsv1.DeletePersistentVolumeClaimRetentionPolicyType:
		return nil
	}
	return field.ErrorList{field.NotSupported(fldPath, t, []string{string(appsv1.RetainPersistentVolumeClaimRetentionPolicyType), string(appsv1.DeletePersistentVolumeClaimRetentionPolicyType)})}
}

// equalSpec compares specs as upstream's validation does (nil and empty
// are the same).
func equalSpec(a, b appsv1.StatefulSetSpec) bool { return apiequality.Semantic.DeepEqual(a, b) }
