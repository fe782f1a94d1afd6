package batch

import (
	"context"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/registry/betadocs"
	"github.com/skiff-dev/skiff/apiserver/registry/core/pod"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

func cronJobResource(now func() time.Time) *registry.Resource {
	return &registry.Resource{
		GVR:           batchv1.SchemeGroupVersion.WithResource("cronjobs"),
		Kind:          "CronJob",
		SingularName:  "cronjob",
		Namespaced:    true,
		ShortNames:    []string{"cj"},
		Categories:    []string{"all"},
		StoragePrefix: "cronjobs",
		New:           func() storage.Object { return &batchv1.CronJob{} },
		NewList:       func() runtime.Object { return &batchv1.CronJobList{} },
		Strategy:      cronJobStrategy{},
		Status:        registry.StatusOnly{},
		Table:         cronJobTable(now),
	}
}

// cronJobStrategy: status is the controller's, generation moves with the
// spec.
type cronJobStrategy struct{ registry.WithStatus }

// Default is upstream's SetDefaults_CronJob plus the job template's pod
// defaults (the job template itself gets no job defaults, as upstream).
func (cronJobStrategy) Default(obj storage.Object) {
	cj := obj.(*batchv1.CronJob)
	spec := &cj.Spec
	if spec.ConcurrencyPolicy == "" {
		spec.ConcurrencyPolicy = batchv1.AllowConcurrent
	}
	if spec.Suspend == nil {
		spec.Suspend = boolPtr(false)
	}
	if spec.SuccessfulJobsHistoryLimit == nil {
		spec.SuccessfulJobsHistoryLimit = int32Ptr(3)
	}
	if spec.FailedJobsHistoryLimit == nil {
		spec.FailedJobsHistoryLimit = int32Ptr(1)
	}
	pod.DefaultPodSpec(&spec.JobTemplate.Spec.Template.Spec)
}

func (cronJobStrategy) Validate(_ context.Context, obj storage.Object) field.ErrorList {
	cj := obj.(*batchv1.CronJob)
	errs := validateCronJobSpec(&cj.Spec, nil, field.NewPath("spec"))
	// Jobs are named <cronjob>-<11 characters>; job names are DNS labels.
	if len(cj.Name) > 52 {
		errs = append(errs, field.Invalid(field.NewPath("metadata", "name"), cj.Name, "must be no more than 52 characters"))
	}
	return errs
}

func (cronJobStrategy) ValidateUpdate(_ context.Context, obj, old storage.Object) field.ErrorList {
	return validateCronJobSpec(&obj.(*batchv1.CronJob).Spec, &old.(*batchv1.CronJob).Spec, field.NewPath("spec"))
}

var cronJobColumns = []metav1.TableColumnDefinition{
	registry.NameColumn,
	{Name: "Schedule", Type: "string", Description: betadocs.CronJobSpecSchedule},
	{Name: "Timezone", Type: "string", Description: betadocs.CronJobSpecTimeZone},
	{Name: "Suspend", Type: "boolean", Description: betadocs.CronJobSpecSuspend},
	{Name: "Active", Type: "integer", Description: betadocs.CronJobStatusActive},
	{Name: "Last Schedule", Type: "string", Description: betadocs.CronJobStatusLastScheduleTime},
	registry.AgeColumn,
	registry.ContainersColumn,
	registry.ImagesColumn,
	{Name: "Selector", Type: "string", Priority: 1, Description: batchv1.JobSpec{}.SwaggerDoc()["selector"]},
}

func cronJobTable(now func() time.Time) registry.TableFunc {
	return registry.Rows(cronJobColumns, now, cronJobRow)
}

func cronJobRow(obj storage.Object, now time.Time) ([]any, error) {
	cj := obj.(*batchv1.CronJob)
	last := "<none>"
	if cj.Status.LastScheduleTime != nil {
		last = registry.Age(*cj.Status.LastScheduleTime, now)
	}
	tz := "<none>"
	if cj.Spec.TimeZone != nil {
		tz = *cj.Spec.TimeZone
	}
	suspend := "<unset>"
	if cj.Spec.Suspend != nil {
		suspend = "False"
		if *cj.Spec.Suspend {
			suspend = "True"
		}
	}
	tmpl := &cj.Spec.JobTemplate.Spec
	names, images := registry.ContainerCells(tmpl.Template.Spec.Containers)
	return []any{cj.Name, cj.Spec.Schedule, tz, suspend, int64(len(cj.Status.Active)), last, registry.Age(cj.CreationTimestamp, now),
		names, images, metav1.FormatLabelSelector(tmpl.Selector)}, nil
}
