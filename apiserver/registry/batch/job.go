package batch

import (
	"context"
	"fmt"
	"maps"
	"strconv"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/duration"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

// The labels a generated selector selects, as upstream: the prefixed ones
// and the legacy unprefixed ones.
const (
	legacyControllerUIDLabel = "controller-uid"
	legacyJobNameLabel       = "job-name"
)

func jobResource(now func() time.Time) *registry.Resource {
	return &registry.Resource{
		GVR:              batchv1.SchemeGroupVersion.WithResource("jobs"),
		Kind:             "Job",
		SingularName:     "job",
		Namespaced:       true,
		Categories:       []string{"all"},
		StoragePrefix:    "jobs",
		New:              func() storage.Object { return &batchv1.Job{} },
		NewList:          func() runtime.Object { return &batchv1.JobList{} },
		Strategy:         jobStrategy{},
		Status:           jobStatusStrategy{},
		GetAttrs:         jobAttrs,
		SelectableFields: []string{"status.successful"},
		Table:            jobTable(now),
	}
}

// jobAttrs adds status.successful, upstream's selectable field.
func jobAttrs(obj storage.Object) (labels.Set, fields.Set, error) {
	f := registry.MetaFields(obj)
	f["status.successful"] = strconv.Itoa(int(obj.(*batchv1.Job).Status.Succeeded))
	return labels.Set(obj.GetLabels()), f, nil
}

// jobStrategy: the selector and the template's labels are generated at
// create (unless manualSelector), status is the controller's, generation
// moves with the spec, and most of the spec is immutable.
type jobStrategy struct{ registry.WithStatus }

func (jobStrategy) Default(obj storage.Object) { defaultJob(obj.(*batchv1.Job)) }

func (s jobStrategy) PrepareForCreate(ctx context.Context, obj storage.Object) {
	job := obj.(*batchv1.Job)
	if job.Spec.ManualSelector == nil || !*job.Spec.ManualSelector {
		generateSelector(job)
	}
	s.WithStatus.PrepareForCreate(ctx, job)
	job.Spec.ManagedBy = nil // feature JobManagedBy: alpha in 1.31, off
	copyTemplateLabels(job)
}

func (s jobStrategy) PrepareForUpdate(ctx context.Context, obj, old storage.Object) {
	job, o := obj.(*batchv1.Job), old.(*batchv1.Job)
	s.WithStatus.PrepareForUpdate(ctx, job, o)
	if o.Spec.ManagedBy == nil {
		job.Spec.ManagedBy = nil
	}
	copyTemplateLabels(job)
}

func (jobStrategy) Validate(_ context.Context, obj storage.Object) field.ErrorList {
	job := obj.(*batchv1.Job)
	return validateJob(job, jobOptions(job, nil))
}

// ValidateUpdate validates the job twice over, as upstream does (ValidateJob
// and ValidateJobUpdate both check the spec).
func (jobStrategy) ValidateUpdate(_ context.Context, obj, old storage.Object) field.ErrorList {
	job, o := obj.(*batchv1.Job), old.(*batchv1.Job)
	opts := jobOptions(job, o)
	errs := validateJob(job, opts)
	return append(errs, validateJobSpecUpdate(&job.Spec, &o.Spec, field.NewPath("spec"), opts)...)
}

// generateSelector labels the template with the job's name and uid and
// selects the uid, as upstream; labels the user set are left for
// validation to judge.
func generateSelector(job *batchv1.Job) {
	if job.Spec.Template.Labels == nil {
		job.Spec.Template.Labels = map[string]string{}
	}
	tl := job.Spec.Template.Labels
	for _, key := range []string{legacyJobNameLabel, batchv1.JobNameLabel} {
		if _, found := tl[key]; !found {
			tl[key] = job.Name
		}
	}
	for _, key := range []string{legacyControllerUIDLabel, batchv1.ControllerUidLabel} {
		if _, found := tl[key]; !found {
			tl[key] = string(job.UID)
		}
	}
	if job.Spec.Selector == nil {
		job.Spec.Selector = &metav1.LabelSelector{}
	}
	if job.Spec.Selector.MatchLabels == nil {
		job.Spec.Selector.MatchLabels = map[string]string{}
	}
	if _, found := job.Spec.Selector.MatchLabels[batchv1.ControllerUidLabel]; !found {
		job.Spec.Selector.MatchLabels[batchv1.ControllerUidLabel] = string(job.UID)
	}
}

// copyTemplateLabels gives a job without labels its template's labels,
// generated ones included (upstream's SetDefaults_Job does it when the
// stored job is read back).
func copyTemplateLabels(job *batchv1.Job) {
	if len(job.Labels) == 0 && job.Spec.Template.Labels != nil {
		job.Labels = maps.Clone(job.Spec.Template.Labels)
	}
}

type jobStatusStrategy struct{ registry.StatusOnly }

func (jobStatusStrategy) ValidateUpdate(_ context.Context, obj, old storage.Object) field.ErrorList {
	return validateJobStatusUpdate(obj.(*batchv1.Job), old.(*batchv1.Job))
}

var jobColumns = []metav1.TableColumnDefinition{
	registry.NameColumn,
	{Name: "Status", Type: "string", Description: "Status of the job."},
	{Name: "Completions", Type: "string", Description: batchv1.JobStatus{}.SwaggerDoc()["succeeded"]},
	{Name: "Duration", Type: "string", Description: "Time required to complete the job."},
	registry.AgeColumn,
	registry.ContainersColumn,
	registry.ImagesColumn,
	{Name: "Selector", Type: "string", Priority: 1, Description: batchv1.JobSpec{}.SwaggerDoc()["selector"]},
}

func jobTable(now func() time.Time) registry.TableFunc {
	return registry.Rows(jobColumns, now, jobRow)
}

func jobRow(obj storage.Object, now time.Time) ([]any, error) {
	job := obj.(*batchv1.Job)
	names, images := registry.ContainerCells(job.Spec.Template.Spec.Containers)
	return []any{job.Name, jobStatus(job), jobCompletions(job), jobDuration(job, now), registry.Age(job.CreationTimestamp, now),
		names, images, metav1.FormatLabelSelector(job.Spec.Selector)}, nil
}

// jobStatus is the STATUS column, as kubectl 1.31 prints it.
func jobStatus(job *batchv1.Job) string {
	switch {
	case jobCondition(job, batchv1.JobComplete):
		return "Complete"
	case jobCondition(job, batchv1.JobFailed):
		return "Failed"
	case job.DeletionTimestamp != nil:
		return "Terminating"
	case jobCondition(job, batchv1.JobSuspended):
		return "Suspended"
	case jobCondition(job, batchv1.JobFailureTarget):
		return "FailureTarget"
	}
	return "Running"
}

// jobCondition says whether the first condition of type t is True.
func jobCondition(job *batchv1.Job, t batchv1.JobConditionType) bool {
	for _, c := range job.Status.Conditions {
		if c.Type == t {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

func jobCompletions(job *batchv1.Job) string {
	if job.Spec.Completions != nil {
		return fmt.Sprintf("%d/%d", job.Status.Succeeded, *job.Spec.Completions)
	}
	if job.Spec.Parallelism != nil && *job.Spec.Parallelism > 1 {
		return fmt.Sprintf("%d/1 of %d", job.Status.Succeeded, *job.Spec.Parallelism)
	}
	return fmt.Sprintf("%d/1", job.Status.Succeeded)
}

func jobDuration(job *batchv1.Job, now time.Time) string {
	switch {
	case job.Status.StartTime == nil:
		return ""
	case job.Status.CompletionTime == nil:
		return duration.HumanDuration(now.Sub(job.Status.StartTime.Time))
	}
	return duration.HumanDuration(job.Status.CompletionTime.Sub(job.Status.StartTime.Time))
}
