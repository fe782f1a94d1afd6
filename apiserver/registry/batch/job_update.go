package batch

import (
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	apimachineryvalidation "k8s.io/apimachinery/pkg/api/validation"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// validateJobSpecUpdate is upstream's ValidateJobSpecUpdate: the spec
// again, then what may not change.
func validateJobSpecUpdate(spec, old *batchv1.JobSpec, fldPath *field.Path, opts jobValidationOptions) field.ErrorList {
	errs := validateJobSpecWithSelector(spec, fldPath)
	errs = append(errs, validateCompletionsUpdate(spec, old, fldPath.Child("completions"))...)
	errs = append(errs, apimachineryvalidation.ValidateImmutableField(spec.Selector, old.Selector, fldPath.Child("selector"))...)
	errs = append(errs, validateTemplateUpdate(spec, old, fldPath, opts)...)
	immutable := []struct {
		name     string
		new, old any
	}{
		{"completionMode", spec.CompletionMode, old.CompletionMode},
		{"podFailurePolicy", spec.PodFailurePolicy, old.PodFailurePolicy},
		{"backoffLimitPerIndex", spec.BackoffLimitPerIndex, old.BackoffLimitPerIndex},
		{"managedBy", spec.ManagedBy, old.ManagedBy},
		{"successPolicy", spec.SuccessPolicy, old.SuccessPolicy},
	}
	for _, f := range immutable {
		errs = append(errs, apimachineryvalidation.ValidateImmutableField(f.new, f.old, fldPath.Child(f.name))...)
	}
	return errs
}

// validateCompletionsUpdate: completions are immutable, except that an
// indexed job may change them together with its parallelism (elastic
// indexed jobs, on in 1.31).
func validateCompletionsUpdate(spec, old *batchv1.JobSpec, fldPath *field.Path) field.ErrorList {
	indexed := spec.CompletionMode != nil && *spec.CompletionMode == batchv1.IndexedCompletion
	if !indexed {
		return apimachineryvalidation.ValidateImmutableField(spec.Completions, old.Completions, fldPath)
	}
	if apiequality.Semantic.DeepEqual(spec.Completions, old.Completions) || spec.Completions == nil {
		return nil
	}
	if spec.Parallelism == nil || *spec.Completions != *spec.Parallelism {
		return field.ErrorList{field.Invalid(fldPath, spec.Completions, "can only be modified in tandem with spec.parallelism")}
	}
	return nil
}

// validateTemplateUpdate: the template is immutable, but for the
// scheduling directives of a suspended job that never started.
func validateTemplateUpdate(spec, old *batchv1.JobSpec, fldPath *field.Path, opts jobValidationOptions) field.ErrorList {
	oldTemplate := &old.Template
	if opts.allowMutableSchedulingDirectives {
		oldTemplate = old.Template.DeepCopy()
		t := &spec.Template
		switch {
		case t.Spec.Affinity == nil && oldTemplate.Spec.Affinity != nil:
			oldTemplate.Spec.Affinity.NodeAffinity = nil
			if apiequality.Semantic.DeepEqual(*oldTemplate.Spec.Affinity, corev1.Affinity{}) {
				oldTemplate.Spec.Affinity = nil
			}
		case t.Spec.Affinity != nil && oldTemplate.Spec.Affinity == nil:
			oldTemplate.Spec.Affinity = &corev1.Affinity{NodeAffinity: t.Spec.Affinity.NodeAffinity}
		case t.Spec.Affinity != nil && oldTemplate.Spec.Affinity != nil:
			oldTemplate.Spec.Affinity.NodeAffinity = t.Spec.Affinity.NodeAffinity
		}
		oldTemplate.Spec.NodeSelector = t.Spec.NodeSelector
		oldTemplate.Spec.Tolerations = t.Spec.Tolerations
		oldTemplate.Annotations = t.Annotations
		oldTemplate.Labels = t.Labels
		oldTemplate.Spec.SchedulingGates = t.Spec.SchedulingGates
	}
	return apimachineryvalidation.ValidateImmutableField(spec.Template, *oldTemplate, fldPath.Child("template"))
}

// validateJobStatusUpdate checks what upstream checks of every status
// write in 1.31: counters, uncounted pods, and the SuccessCriteriaMet
// condition's rules.
func validateJobStatusUpdate(job, old *batchv1.Job) field.ErrorList {
	st := &job.Status
	fldPath := field.NewPath("status")
	var errs field.ErrorList
	for _, c := range []struct {
		name string
		v    *int32
	}{{"active", &st.Active}, {"succeeded", &st.Succeeded}, {"failed", &st.Failed}, {"ready", st.Ready}, {"terminating", st.Terminating}} {
		if c.v != nil {
			errs = append(errs, apimachineryvalidation.ValidateNonnegativeField(int64(*c.v), fldPath.Child(c.name))...)
		}
	}
	if u := st.UncountedTerminatedPods; u != nil {
		path := fldPath.Child("uncountedTerminatedPods")
		seen := map[types.UID]bool{}
		for _, list := range []struct {
			name string
			uids []types.UID
		}{{"succeeded", u.Succeeded}, {"failed", u.Failed}} {
			for i, uid := range list.uids {
				p := path.Child(list.name).Index(i)
				switch {
				case uid == "":
					errs = append(errs, field.Invalid(p, uid, "must not be empty"))
				case seen[uid]:
					errs = append(errs, field.Duplicate(p, uid))
				default:
					seen[uid] = true
				}
			}
		}
	}
	conditions := fldPath.Child("conditions")
	met := jobCondition(job, batchv1.JobSuccessCriteriaMet)
	indexed := job.Spec.CompletionMode != nil && *job.Spec.CompletionMode == batchv1.IndexedCompletion
	invalid := func(cond bool, msg string) {
		if cond {
			errs = append(errs, field.Invalid(conditions, field.OmitValueType{}, msg))
		}
	}
	invalid(!indexed && met, "cannot set SuccessCriteriaMet to NonIndexed Job")
	invalid(met && jobCondition(job, batchv1.JobFailed), "cannot set SuccessCriteriaMet=True and Failed=true conditions")
	invalid(met && jobCondition(job, batchv1.JobFailureTarget), "cannot set SuccessCriteriaMet=True and FailureTarget=true conditions")
	invalid(job.Spec.SuccessPolicy == nil && met, "cannot set SuccessCriteriaMet=True for Job without SuccessPolicy")
	invalid(job.Spec.SuccessPolicy != nil && !met && jobCondition(job, batchv1.JobComplete), "cannot set Complete=True for Job with SuccessPolicy unless SuccessCriteriaMet=True")
	invalid(jobCondition(old, batchv1.JobSuccessCriteriaMet) && !met, "cannot disable the SuccessCriteriaMet=True condition")
	invalid(jobCondition(old, batchv1.JobComplete) && !jobCondition(old, batchv1.JobSuccessCriteriaMet) && met,
		"cannot set SuccessCriteriaMet=True for Job already has Complete=true conditions")
	return errs
}
