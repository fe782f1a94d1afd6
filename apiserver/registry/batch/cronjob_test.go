package batch

import (
	"context"
	"strings"
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func validCronJob() *batchv1.CronJob {
	cj := &batchv1.CronJob{
		ObjectMeta: metav1.ObjectMeta{Name: "report", Namespace: "default", CreationTimestamp: created},
		Spec: batchv1.CronJobSpec{
			Schedule:    "*/5 * * * *",
			JobTemplate: batchv1.JobTemplateSpec{Spec: batchv1.JobSpec{Template: podTemplate(corev1.RestartPolicyOnFailure)}},
		},
	}
	cronJobStrategy{}.Default(cj)
	return cj
}

func TestCronJobDefaults(t *testing.T) {
	s := validCronJob().Spec
	if s.ConcurrencyPolicy != batchv1.AllowConcurrent || *s.Suspend || *s.SuccessfulJobsHistoryLimit != 3 || *s.FailedJobsHistoryLimit != 1 {
		t.Fatalf("defaults %+v", s)
	}
	if s.JobTemplate.Spec.Completions != nil || s.JobTemplate.Spec.BackoffLimit != nil {
		t.Fatalf("job template got job defaults: %+v", s.JobTemplate.Spec)
	}
}

func TestCronJobValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*batchv1.CronJob)
		want   []string
	}{
		{"valid", func(*batchv1.CronJob) {}, nil},
		{"time zone", func(c *batchv1.CronJob) { c.Spec.TimeZone = strPtr("Europe/Paris") }, nil},
		{"no schedule", func(c *batchv1.CronJob) { c.Spec.Schedule = "" }, []string{"spec.schedule: Required value"}},
		{"bad schedule", func(c *batchv1.CronJob) { c.Spec.Schedule = "every minute" }, []string{
			`spec.schedule: Invalid value: "every minute": expected exactly 5 fields, found 2: [every minute]`,
		}},
		{"TZ in schedule", func(c *batchv1.CronJob) { c.Spec.Schedule = "TZ=UTC 0 * * * *" }, []string{
			`spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead`,
		}},
		{"unknown zone", func(c *batchv1.CronJob) { c.Spec.TimeZone = strPtr("Mars/Olympus") }, []string{
			`spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus`,
		}},
		{"bad zone characters", func(c *batchv1.CronJob) { c.Spec.TimeZone = strPtr("../etc/passwd") }, []string{
			`spec.timeZone: Invalid value: "../etc/passwd": unknown time zone ../etc/passwd`,
		}},
		{"local zone", func(c *batchv1.CronJob) { c.Spec.TimeZone = strPtr("Local") }, []string{
			`spec.timeZone: Invalid value: "Local": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones`,
		}},
		{"empty zone", func(c *batchv1.CronJob) { c.Spec.TimeZone = strPtr("") }, []string{
			`spec.timeZone: Invalid value: "": timeZone must be nil or non-empty string`,
		}},
		{"deadline and policy", func(c *batchv1.CronJob) {
			c.Spec.StartingDeadlineSeconds = new(int64)
			*c.Spec.StartingDeadlineSeconds = -1
			c.Spec.ConcurrencyPolicy = "Sometimes"
		}, []string{
			"spec.startingDeadlineSeconds: Invalid value: -1: must be greater than or equal to 0",
			`spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"`,
		}},
		{"job template", func(c *batchv1.CronJob) {
			c.Spec.JobTemplate.Spec.Template.Spec.RestartPolicy = corev1.RestartPolicyAlways
			c.Spec.JobTemplate.Spec.ManualSelector = boolPtr(true)
		}, []string{
			`spec.jobTemplate.spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"`,
			`spec.jobTemplate.spec.manualSelector: Unsupported value: true: supported values: "nil", "false"`,
		}},
		{"long name", func(c *batchv1.CronJob) { c.Name = strings.Repeat("a", 53) }, []string{
			`metadata.name: Invalid value: "` + strings.Repeat("a", 53) + `": must be no more than 52 characters`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cj := validCronJob()
			tt.mutate(cj)
			expectErrors(t, cronJobStrategy{}.Validate(context.Background(), cj), tt.want...)
		})
	}
}

func TestCronJobUpdate(t *testing.T) {
	ctx := context.Background()
	old := validCronJob()
	old.Spec.Schedule = "TZ=UTC 0 * * * *" // stored before the rule existed
	old.Name = strings.Repeat("b", 60)
	cj := old.DeepCopy()
	cj.Spec.Suspend = boolPtr(true)
	expectErrors(t, cronJobStrategy{}.ValidateUpdate(ctx, cj, old))
	cj.Spec.TimeZone = strPtr("UTC")
	expectErrors(t, cronJobStrategy{}.ValidateUpdate(ctx, cj, old),
		`spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use both timeZone field and TZ or CRON_TZ in schedule`)

	prev := validCronJob()
	prev.Generation = 2
	next := prev.DeepCopy()
	next.Spec.Schedule = "0 * * * *"
	next.Status.Active = []corev1.ObjectReference{{Name: "x"}}
	cronJobStrategy{}.PrepareForUpdate(ctx, next, prev)
	if next.Status.Active != nil {
		t.Fatalf("update changed the status")
	}
}

func TestCronJobTable(t *testing.T) {
	cj := validCronJob()
	last := metav1.NewTime(testNow.Add(-2 * time.Minute))
	cj.Status.LastScheduleTime = &last
	cj.Status.Active = []corev1.ObjectReference{{Name: "report-1"}}
	cj.Spec.TimeZone = strPtr("Etc/UTC")
	table, _ := cronJobTable(fixedNow)([]storageObject{cj}, true)
	checkColumns(t, table, []string{"Name", "Schedule", "Timezone", "Suspend", "Active", "Last Schedule", "Age", "Containers", "Images", "Selector"})
	checkCells(t, table.Rows[0].Cells, []any{"report", "*/5 * * * *", "Etc/UTC", "False", int64(1), "2m", "10m", "pi", "perl:5.34", "<none>"})
	plain := validCronJob()
	narrow, _ := cronJobTable(fixedNow)([]storageObject{plain}, false)
	checkCells(t, narrow.Rows[0].Cells, []any{"report", "*/5 * * * *", "<none>", "False", int64(0), "<none>", "10m"})
}
