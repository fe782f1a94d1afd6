package apps

import (
	"context"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

func validDeployment() *appsv1.Deployment {
	d := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "default", CreationTimestamp: createdTime},
		Spec: appsv1.DeploymentSpec{
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}},
			Template: podTemplate(map[string]string{"app": "web"}),
		},
	}
	deploymentStrategy{}.Default(d)
	return d
}

func TestDeploymentDefaults(t *testing.T) {
	d := &appsv1.Deployment{}
	deploymentStrategy{}.Default(d)
	pct := intstr.FromString("25%")
	want := appsv1.DeploymentSpec{
		Replicas: int32Ptr(1),
		Strategy: appsv1.DeploymentStrategy{Type: appsv1.RollingUpdateDeploymentStrategyType,
			RollingUpdate: &appsv1.RollingUpdateDeployment{MaxUnavailable: &pct, MaxSurge: &pct}},
		RevisionHistoryLimit:    int32Ptr(10),
		ProgressDeadlineSeconds: int32Ptr(600),
	}
	got := d.Spec
	got.Template = corev1.PodTemplateSpec{}
	if !apiequality.Semantic.DeepEqual(got, want) {
		t.Fatalf("defaults:\n got  %+v\n want %+v", got, want)
	}
	if d.Spec.Template.Spec.RestartPolicy != corev1.RestartPolicyAlways {
		t.Fatalf("pod template not defaulted: restartPolicy %q", d.Spec.Template.Spec.RestartPolicy)
	}

	recreate := &appsv1.Deployment{Spec: appsv1.DeploymentSpec{Replicas: int32Ptr(0), Strategy: appsv1.DeploymentStrategy{Type: appsv1.RecreateDeploymentStrategyType}}}
	deploymentStrategy{}.Default(recreate)
	if recreate.Spec.Strategy.RollingUpdate != nil || *recreate.Spec.Replicas != 0 {
		t.Fatalf("Recreate defaulted a rolling update or replicas: %+v", recreate.Spec)
	}
}

func TestDeploymentValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*appsv1.Deployment)
		want   []string
	}{
		{"valid", func(*appsv1.Deployment) {}, nil},
		{"negative replicas", func(d *appsv1.Deployment) { d.Spec.Replicas = int32Ptr(-1) },
			[]string{"spec.replicas: Invalid value: -1: must be greater than or equal to 0"}},
		{"no selector", func(d *appsv1.Deployment) { d.Spec.Selector = nil }, []string{
			"spec.selector: Required value",
			`spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: ` + "`selector` does not match template `labels`",
		}},
		{"selector does not match", func(d *appsv1.Deployment) { d.Spec.Template.Labels = map[string]string{"app": "other"} }, []string{
			`spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: ` + "`selector` does not match template `labels`",
		}},
		{"restart policy", func(d *appsv1.Deployment) { d.Spec.Template.Spec.RestartPolicy = corev1.RestartPolicyOnFailure }, []string{
			`spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"`,
		}},
		{"active deadline", func(d *appsv1.Deployment) { d.Spec.Template.Spec.ActiveDeadlineSeconds = int64Ptr(30) }, []string{
			"spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported",
		}},
		{"both zero", func(d *appsv1.Deployment) {
			zero := intstr.FromInt32(0)
			d.Spec.Strategy.RollingUpdate = &appsv1.RollingUpdateDeployment{MaxUnavailable: &zero, MaxSurge: &zero}
		}, []string{`spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: may not be 0 when ` + "`maxSurge` is 0"}},
		{"over 100%", func(d *appsv1.Deployment) {
			v := intstr.FromString("150%")
			d.Spec.Strategy.RollingUpdate.MaxUnavailable = &v
		}, []string{`spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"150%"}: must not be greater than 100%`}},
		{"not a percent", func(d *appsv1.Deployment) {
			v := intstr.FromString("abc")
			d.Spec.Strategy.RollingUpdate.MaxSurge = &v
		}, []string{`spec.strategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"abc"}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')`}},
		{"recreate with rolling update", func(d *appsv1.Deployment) { d.Spec.Strategy.Type = appsv1.RecreateDeploymentStrategyType }, []string{
			"spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'",
		}},
		{"deadline not above minReadySeconds", func(d *appsv1.Deployment) { d.Spec.MinReadySeconds = 600 }, []string{
			"spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds",
		}},
		{"negative minReadySeconds", func(d *appsv1.Deployment) { d.Spec.MinReadySeconds = -1 }, []string{
			"spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0",
		}},
		{"empty selector", func(d *appsv1.Deployment) { d.Spec.Selector = &metav1.LabelSelector{} }, []string{
			"spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := validDeployment()
			tt.mutate(d)
			expectErrors(t, deploymentStrategy{}.Validate(context.Background(), d), tt.want...)
		})
	}
	t.Run("unknown strategy type", func(t *testing.T) {
		d := validDeployment()
		d.Spec.Strategy.Type = "Fast"
		expectErrorPrefixes(t, deploymentStrategy{}.Validate(context.Background(), d), "spec.strategy: Unsupported value: ")
	})
}

func TestDeploymentUpdate(t *testing.T) {
	ctx := context.Background()
	old := validDeployment()
	old.Generation = 3
	old.Status = appsv1.DeploymentStatus{Replicas: 1, ReadyReplicas: 1}

	t.Run("scale bumps generation, keeps status", func(t *testing.T) {
		d := old.DeepCopy()
		d.Spec.Replicas = int32Ptr(3)
		d.Status = appsv1.DeploymentStatus{}
		deploymentStrategy{}.PrepareForUpdate(ctx, d, old)
		if d.Generation != 4 || d.Status.ReadyReplicas != 1 {
			t.Fatalf("generation %d status %+v", d.Generation, d.Status)
		}
	})
	t.Run("annotations bump generation", func(t *testing.T) {
		d := old.DeepCopy()
		d.Annotations = map[string]string{"team": "a"}
		deploymentStrategy{}.PrepareForUpdate(ctx, d, old)
		if d.Generation != 4 {
			t.Fatalf("generation %d, want 4", d.Generation)
		}
	})
	t.Run("labels do not", func(t *testing.T) {
		d := old.DeepCopy()
		d.Labels = map[string]string{"team": "a"}
		deploymentStrategy{}.PrepareForUpdate(ctx, d, old)
		if d.Generation != 3 {
			t.Fatalf("generation %d, want 3", d.Generation)
		}
	})
	t.Run("selector is immutable", func(t *testing.T) {
		d := old.DeepCopy()
		d.Spec.Selector = &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web", "tier": "x"}}
		d.Spec.Template.Labels = map[string]string{"app": "web", "tier": "x"}
		errs := deploymentStrategy{}.ValidateUpdate(ctx, d, old)
		expectErrorPrefixes(t, errs, "spec.selector: Invalid value: ")
		if errs[0].Detail != "field is immutable" {
			t.Fatalf("detail %q", errs[0].Detail)
		}
	})
}

func TestDeploymentStatusUpdate(t *testing.T) {
	ctx := context.Background()
	old := validDeployment()
	old.Labels = map[string]string{"a": "b"}
	old.Status.CollisionCount = int32Ptr(2)
	d := old.DeepCopy()
	d.Spec.Replicas = int32Ptr(9)
	d.Labels = nil
	d.Status = appsv1.DeploymentStatus{Replicas: 1, ReadyReplicas: 2, AvailableReplicas: 1, CollisionCount: int32Ptr(1)}
	s := deploymentStatusStrategy{}
	s.PrepareForUpdate(ctx, d, old)
	if *d.Spec.Replicas != 1 || d.Labels["a"] != "b" {
		t.Fatalf("status update changed spec or labels: %v %v", *d.Spec.Replicas, d.Labels)
	}
	expectErrors(t, s.ValidateUpdate(ctx, d, old),
		"status.readyReplicas: Invalid value: 2: cannot be greater than status.replicas",
		"status.collisionCount: Invalid value: 1: cannot be decremented")
}

func TestDeploymentTable(t *testing.T) {
	d := validDeployment()
	d.Spec.Replicas = int32Ptr(3)
	d.Status = appsv1.DeploymentStatus{ReadyReplicas: 2, UpdatedReplicas: 3, AvailableReplicas: 2}
	table, err := deploymentTable(fixedNow)([]storageObject{d}, true)
	if err != nil {
		t.Fatal(err)
	}
	wantCols := []string{"Name", "Ready", "Up-to-date", "Available", "Age", "Containers", "Images", "Selector"}
	checkColumns(t, table, wantCols)
	wantCells := []any{"web", "2/3", int64(3), int64(2), "5m", "web,sidecar", "nginx:1.27,busybox", "app=web"}
	checkCells(t, table.Rows[0].Cells, wantCells)

	narrow, _ := deploymentTable(fixedNow)([]storageObject{d}, false)
	checkColumns(t, narrow, wantCols[:5])
	checkCells(t, narrow.Rows[0].Cells, wantCells[:5])
}
