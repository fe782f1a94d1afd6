package batch

import (
	"reflect"
	"testing"
)

func TestResources(t *testing.T) {
	res := Resources()
	if len(res) != 2 {
		t.Fatalf("%d resources", len(res))
	}
	job, cj := res[0], res[1]
	if job.GVR.String() != "batch/v1, Resource=jobs" || job.Kind != "Job" || job.StoragePrefix != "jobs" || job.ShortNames != nil ||
		!reflect.DeepEqual(job.Categories, []string{"all"}) || job.Status == nil || !reflect.DeepEqual(job.SelectableFields, []string{"status.successful"}) {
		t.Errorf("jobs: %+v", job)
	}
	if cj.GVR.String() != "batch/v1, Resource=cronjobs" || cj.Kind != "CronJob" || cj.StoragePrefix != "cronjobs" ||
		!reflect.DeepEqual(cj.ShortNames, []string{"cj"}) || !reflect.DeepEqual(cj.Categories, []string{"all"}) || cj.Status == nil {
		t.Errorf("cronjobs: %+v", cj)
	}
	for _, r := range res {
		if !r.Namespaced || r.AllowCreateOnUpdate || r.Table == nil || reflect.TypeOf(r.New()).Elem().Name() != r.Kind ||
			reflect.TypeOf(r.NewList()).Elem().Name() != r.Kind+"List" {
			t.Errorf("%s: %+v", r.GVR.Resource, r)
		}
	}
}
