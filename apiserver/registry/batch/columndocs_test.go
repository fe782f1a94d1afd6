package batch

import (
	"testing"

	batchv1beta1 "k8s.io/api/batch/v1beta1"
)

// TestColumnDocsAreUpstreams: the quoted descriptions are the beta types' own.
func TestColumnDocsAreUpstreams(t *testing.T) {
	for got, want := range map[string]string{
		docCronJobSpecSchedule:           batchv1beta1.CronJobSpec{}.SwaggerDoc()["schedule"],
		docCronJobSpecSuspend:            batchv1beta1.CronJobSpec{}.SwaggerDoc()["suspend"],
		docCronJobSpecTimeZone:           batchv1beta1.CronJobSpec{}.SwaggerDoc()["timeZone"],
		docCronJobStatusActive:           batchv1beta1.CronJobStatus{}.SwaggerDoc()["active"],
		docCronJobStatusLastScheduleTime: batchv1beta1.CronJobStatus{}.SwaggerDoc()["lastScheduleTime"],
	} {
		if got != want {
			t.Errorf("description %q, upstream's %q", got, want)
		}
	}
}
