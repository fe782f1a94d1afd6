package batch

import (
	"time"

	"context"
	"testing"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

const uid = types.UID("0a1b2c3d-0000-4000-8000-000000000001")

// createdJob is a job as the store would have prepared it for create.
func createdJob(mutate func(*batchv1.Job)) *batchv1.Job {
	job := &batchv1.Job{
		ObjectMeta: metav1.ObjectMeta{Name: "pi", Namespace: "default", UID: uid, CreationTimestamp: created},
		Spec:       batchv1.JobSpec{Template: podTemplate(corev1.RestartPolicyNever)},
	}
	if mutate != nil {
		mutate(job)
	}
	s := jobStrategy{}
	s.Default(job)
	s.PrepareForCreate(context.Background(), job)
	return job
}

func TestJobDefaults(t *testing.T) {
	job := &batchv1.Job{}
	jobStrategy{}.Default(job)
	s := job.Spec
	if *s.Completions != 1 || *s.Parallelism != 1 || *s.BackoffLimit != 6 || *s.CompletionMode != batchv1.NonIndexedCompletion ||
		*s.Suspend || *s.ManualSelector || *s.PodReplacementPolicy != batchv1.TerminatingOrFailed {
		t.Fatalf("defaults: %+v", s)
	}

	parallel := &batchv1.Job{Spec: batchv1.JobSpec{Parallelism: int32Ptr(3), BackoffLimitPerIndex: int32Ptr(1),
		PodFailurePolicy: &batchv1.PodFailurePolicy{Rules: []batchv1.PodFailurePolicyRule{{OnPodConditions: []batchv1.PodFailurePolicyOnPodConditionsPattern{{Type: "DisruptionTarget"}}}}}}}
	jobStrategy{}.Default(parallel)
	p := parallel.Spec
	if p.Completions != nil || *p.BackoffLimit != 1<<31-1 || *p.PodReplacementPolicy != batchv1.Failed ||
		p.PodFailurePolicy.Rules[0].OnPodConditions[0].Status != corev1.ConditionTrue {
		t.Fatalf("parallel defaults: %+v", p)
	}
}

func TestJobGeneratedSelector(t *testing.T) {
	job := createdJob(func(j *batchv1.Job) { j.Spec.Template.Labels = map[string]string{"app": "pi"} })
	want := map[string]string{"app": "pi", "controller-uid": string(uid), "job-name": "pi",
		batchv1.ControllerUidLabel: string(uid), batchv1.JobNameLabel: "pi"}
	for k, v := range want {
		if job.Spec.Template.Labels[k] != v || job.Labels[k] != v {
			t.Fatalf("label %s: template %q job %q", k, job.Spec.Template.Labels[k], job.Labels[k])
		}
	}
	if len(job.Spec.Selector.MatchLabels) != 1 || job.Spec.Selector.MatchLabels[batchv1.ControllerUidLabel] != string(uid) {
		t.Fatalf("selector %v", job.Spec.Selector)
	}
	if job.Generation != 1 {
		t.Fatalf("generation %d", job.Generation)
	}
	expectErrors(t, jobStrategy{}.Validate(context.Background(), job))

	labelled := createdJob(func(j *batchv1.Job) { j.Labels = map[string]string{"team": "x"} })
	if len(labelled.Labels) != 1 {
		t.Fatalf("job labels overwritten: %v", labelled.Labels)
	}
}

func TestJobValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*batchv1.Job) // before defaults and selector generation
		after  func(*batchv1.Job) // after
		want   []string
	}{
		{name: "valid"},
		{name: "restart policy missing", mutate: func(j *batchv1.Job) { j.Spec.Template.Spec.RestartPolicy = "" }, want: []string{
			`spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"`,
		}},
		{name: "negative counts", mutate: func(j *batchv1.Job) {
			j.Spec.Parallelism, j.Spec.BackoffLimit, j.Spec.ActiveDeadlineSeconds = int32Ptr(-1), int32Ptr(-2), new(int64)
			*j.Spec.ActiveDeadlineSeconds = -3
		}, want: []string{
			"spec.parallelism: Invalid value: -1: must be greater than or equal to 0",
			"spec.backoffLimit: Invalid value: -2: must be greater than or equal to 0",
			"spec.activeDeadlineSeconds: Invalid value: -3: must be greater than or equal to 0",
		}},
		{name: "foreign uid label", mutate: func(j *batchv1.Job) {
			j.Spec.Template.Labels = map[string]string{"controller-uid": "other"}
		}, want: []string{
			`spec.template.metadata.labels[controller-uid]: Invalid value: map[string]string{"batch.kubernetes.io/controller-uid":"0a1b2c3d-0000-4000-8000-000000000001", "batch.kubernetes.io/job-name":"pi", "controller-uid":"other", "job-name":"pi"}: must be '0a1b2c3d-0000-4000-8000-000000000001'`,
		}},
		{name: "manual selector", mutate: func(j *batchv1.Job) {
			j.Spec.ManualSelector = boolPtr(true)
			j.Spec.Selector = &metav1.LabelSelector{MatchLabels: map[string]string{"app": "pi"}}
			j.Spec.Template.Labels = map[string]string{"app": "other"}
		}, want: []string{
			`spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: ` + "`selector` does not match template `labels`",
		}},
		{name: "indexed needs completions", mutate: func(j *batchv1.Job) {
			mode := batchv1.IndexedCompletion
			j.Spec.CompletionMode, j.Spec.Parallelism = &mode, int32Ptr(2)
		}, want: []string{"spec.completions: Required value: when completion mode is Indexed"}},
		{name: "indexed hostname", mutate: func(j *batchv1.Job) {
			mode := batchv1.IndexedCompletion
			j.Name = "a-very-long-job-name-that-fills-up-the-dns-label-limit-almost"
			j.Spec.CompletionMode, j.Spec.Completions = &mode, int32Ptr(100)
		}, want: []string{
			"metadata.name: Invalid value: \"a-very-long-job-name-that-fills-up-the-dns-label-limit-almost\": will not able to create pod with invalid DNS label: a-very-long-job-name-that-fills-up-the-dns-label-limit-almost-99",
		}},
		{name: "per-index limit needs indexed", mutate: func(j *batchv1.Job) { j.Spec.BackoffLimitPerIndex = int32Ptr(1) }, want: []string{
			"spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode",
		}},
		{name: "pod failure policy", mutate: func(j *batchv1.Job) {
			j.Spec.Template.Spec.RestartPolicy = corev1.RestartPolicyOnFailure
			j.Spec.PodFailurePolicy = &batchv1.PodFailurePolicy{Rules: []batchv1.PodFailurePolicyRule{
				{Action: batchv1.PodFailurePolicyActionFailJob, OnExitCodes: &batchv1.PodFailurePolicyOnExitCodesRequirement{
					ContainerName: strPtr("nope"), Operator: batchv1.PodFailurePolicyOnExitCodesOpIn, Values: []int32{3, 0, 3}}},
				{Action: "Explode"},
			}}
		}, want: []string{
			`spec.podFailurePolicy.rules[0].onExitCodes.containerName: Invalid value: "nope": must be one of the container or initContainer names in the pod template`,
			"spec.podFailurePolicy.rules[0].onExitCodes.values[1]: Invalid value: 0: must not be 0 for the In operator",
			"spec.podFailurePolicy.rules[0].onExitCodes.values[2]: Duplicate value: 3",
			"spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: []int32{3, 0, 3}: must be ordered",
			`spec.podFailurePolicy.rules[1].action: Unsupported value: "Explode": supported values: "Count", "FailIndex", "FailJob", "Ignore"`,
			"spec.podFailurePolicy.rules[1]: Invalid value: specifying one of OnExitCodes and OnPodConditions is required",
			`spec.template.spec.restartPolicy: Invalid value: "OnFailure": only "Never" is supported when podFailurePolicy is specified`,
		}},
		{name: "success policy", mutate: func(j *batchv1.Job) {
			mode := batchv1.IndexedCompletion
			j.Spec.CompletionMode, j.Spec.Completions = &mode, int32Ptr(5)
			j.Spec.SuccessPolicy = &batchv1.SuccessPolicy{Rules: []batchv1.SuccessPolicyRule{
				{SucceededIndexes: strPtr("0,2-3"), SucceededCount: int32Ptr(4)},
				{SucceededIndexes: strPtr("3,1")},
				{},
			}}
		}, want: []string{
			"spec.successPolicy.rules[0].succeededCount: Invalid value: 4: must be less than or equal to 3 (the number of indexes in the specified succeededIndexes field)",
			`spec.successPolicy.rules[1].succeededIndexes: Invalid value: "3,1": error parsing succeededIndexes: non-increasing order, previous: 3, current: 1`,
			"spec.successPolicy.rules[2]: Required value: at least one of succeededCount or succeededIndexes must be specified",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			job := createdJob(tt.mutate)
			if tt.after != nil {
				tt.after(job)
			}
			expectErrors(t, jobStrategy{}.Validate(context.Background(), job), tt.want...)
		})
	}
}

func TestJobUpdate(t *testing.T) {
	ctx := context.Background()
	s := jobStrategy{}
	old := createdJob(nil)
	old.Status.StartTime = &created

	t.Run("parallelism and suspend may change", func(t *testing.T) {
		job := old.DeepCopy()
		job.Spec.Parallelism, job.Spec.Suspend = int32Ptr(4), boolPtr(true)
		s.PrepareForUpdate(ctx, job, old)
		expectErrors(t, s.ValidateUpdate(ctx, job, old))
	})
	t.Run("template and completions may not", func(t *testing.T) {
		job := old.DeepCopy()
		job.Spec.Completions = int32Ptr(3)
		job.Spec.Template.Spec.Containers[0].Image = "perl:5.36"
		errs := s.ValidateUpdate(ctx, job, old)
		if len(errs) != 2 || errs[0].Field != "spec.completions" || errs[1].Field != "spec.template" || errs[1].Detail != "field is immutable" {
			t.Fatalf("errors %v", errs)
		}
	})
	t.Run("suspended job that never ran may move", func(t *testing.T) {
		suspended := createdJob(func(j *batchv1.Job) { j.Spec.Suspend = boolPtr(true) })
		job := suspended.DeepCopy()
		job.Spec.Template.Spec.NodeSelector = map[string]string{"zone": "a"}
		job.Spec.Template.Spec.Tolerations = []corev1.Toleration{{Key: "k", Operator: corev1.TolerationOpExists}}
		expectErrors(t, s.ValidateUpdate(ctx, job, suspended))
	})
	t.Run("elastic indexed job", func(t *testing.T) {
		indexed := createdJob(func(j *batchv1.Job) {
			mode := batchv1.IndexedCompletion
			j.Spec.CompletionMode, j.Spec.Completions, j.Spec.Parallelism = &mode, int32Ptr(3), int32Ptr(3)
		})
		job := indexed.DeepCopy()
		job.Spec.Completions, job.Spec.Parallelism = int32Ptr(5), int32Ptr(5)
		expectErrors(t, s.ValidateUpdate(ctx, job, indexed))
		job.Spec.Parallelism = int32Ptr(4)
		expectErrors(t, s.ValidateUpdate(ctx, job, indexed), "spec.completions: Invalid value: 5: can only be modified in tandem with spec.parallelism")
	})
}

func TestJobStatus(t *testing.T) {
	job := createdJob(nil)
	job.Status = batchv1.JobStatus{Active: -1, UncountedTerminatedPods: &batchv1.UncountedTerminatedPods{
		Succeeded: []types.UID{"a", ""}, Failed: []types.UID{"a"}}}
	expectErrors(t, jobStatusStrategy{}.ValidateUpdate(context.Background(), job, createdJob(nil)),
		"status.active: Invalid value: -1: must be greater than or equal to 0",
		`status.uncountedTerminatedPods.succeeded[1]: Invalid value: "": must not be empty`,
		`status.uncountedTerminatedPods.failed[0]: Duplicate value: "a"`)
}

func TestJobTable(t *testing.T) {
	start := metav1.NewTime(testNow.Add(-3 * time.Minute))
	done := metav1.NewTime(testNow.Add(-1 * time.Minute))
	tests := []struct {
		name                          string
		mutate                        func(*batchv1.Job)
		status, completions, duration string
	}{
		{"pending", func(*batchv1.Job) {}, "Running", "0/1", ""},
		{"running", func(j *batchv1.Job) { j.Status.StartTime = &start }, "Running", "0/1", "3m"},
		{"complete", func(j *batchv1.Job) {
			j.Status.StartTime, j.Status.CompletionTime, j.Status.Succeeded = &start, &done, 1
			j.Status.Conditions = []batchv1.JobCondition{{Type: batchv1.JobComplete, Status: corev1.ConditionTrue}}
		}, "Complete", "1/1", "2m"},
		{"failed", func(j *batchv1.Job) {
			j.Status.Conditions = []batchv1.JobCondition{{Type: batchv1.JobFailed, Status: corev1.ConditionTrue}}
		}, "Failed", "0/1", ""},
		{"suspended", func(j *batchv1.Job) {
			j.Status.Conditions = []batchv1.JobCondition{{Type: batchv1.JobSuspended, Status: corev1.ConditionTrue}}
		}, "Suspended", "0/1", ""},
		{"terminating", func(j *batchv1.Job) { j.DeletionTimestamp = &done }, "Terminating", "0/1", ""},
		{"work queue", func(j *batchv1.Job) { j.Spec.Completions, j.Spec.Parallelism = nil, int32Ptr(4) }, "Running", "0/1 of 4", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			job := createdJob(nil)
			tt.mutate(job)
			table, _ := jobTable(fixedNow)([]storageObject{job}, false)
			checkColumns(t, table, []string{"Name", "Status", "Completions", "Duration", "Age"})
			checkCells(t, table.Rows[0].Cells, []any{"pi", tt.status, tt.completions, tt.duration, "10m"})
		})
	}
	wide, _ := jobTable(fixedNow)([]storageObject{createdJob(nil)}, true)
	checkCells(t, wide.Rows[0].Cells[5:], []any{"pi", "perl:5.34", "batch.kubernetes.io/controller-uid=" + string(uid)})
	_, f, _ := jobAttrs(createdJob(func(j *batchv1.Job) { j.Status.Succeeded = 2 }))
	if f["status.successful"] != "0" { // status is cleared at create
		t.Fatalf("attrs %v", f)
	}
}

func strPtr(s string) *string { return &s }
