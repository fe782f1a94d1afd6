package batch

import (
	"context"
	"testing"

	batchv1 "k8s.io/api/batch/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/registry/registrytest"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

// TestJobThroughStore checks the job's rules as the registry applies them:
// the uid exists when the selector is generated; generation moves with
// the spec; the template is immutable; the status subresource keeps the
// spec.
func TestJobThroughStore(t *testing.T) {
	ctx := context.Background()
	res := jobResource(fixedNow)
	s := registry.NewStore(res, registrytest.NewBackend(), nil)

	in := &batchv1.Job{ObjectMeta: metav1.ObjectMeta{Name: "pi"}, Spec: batchv1.JobSpec{Template: podTemplate("Never")}}
	res.Strategy.Default(in)
	created, err := s.Create(ctx, "default", in, registry.WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	job := created.(*batchv1.Job)
	uid := string(job.UID)
	if uid == "" || job.Spec.Selector.MatchLabels[batchv1.ControllerUidLabel] != uid || job.Labels[batchv1.JobNameLabel] != "pi" || job.Generation != 1 {
		t.Fatalf("created job %+v", job.ObjectMeta)
	}

	update := func(mutate func(*batchv1.Job)) func(context.Context, storage.Object) (storage.Object, error) {
		return func(_ context.Context, cur storage.Object) (storage.Object, error) {
			j := cur.DeepCopyObject().(*batchv1.Job)
			mutate(j)
			return j, nil
		}
	}
	out, _, err := s.Update(ctx, "default", "pi", "", update(func(j *batchv1.Job) { j.Spec.Parallelism = int32Ptr(3) }), registry.WriteOptions{})
	if err != nil || out.GetGeneration() != 2 {
		t.Fatalf("scale: %v generation %v", err, out)
	}
	_, _, err = s.Update(ctx, "default", "pi", "", update(func(j *batchv1.Job) { j.Spec.Template.Spec.Containers[0].Image = "perl:6" }), registry.WriteOptions{})
	if !apierrors.IsInvalid(err) {
		t.Fatalf("template change: %v", err)
	}
	out, _, err = s.Update(ctx, "default", "pi", "status", update(func(j *batchv1.Job) {
		j.Status.Active = 1
		j.Spec.Parallelism = int32Ptr(9)
	}), registry.WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if j := out.(*batchv1.Job); j.Status.Active != 1 || *j.Spec.Parallelism != 3 || j.Generation != 2 {
		t.Fatalf("status update: %+v %+v", j.Spec, j.Status)
	}
}
