package autoscaling

import (
	"context"
	"reflect"
	"testing"
	"time"

	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/storage"
)

func ptr[T any](v T) *T { return &v }

func errorStrings(errs field.ErrorList) []string {
	var out []string
	for _, e := range errs {
		out = append(out, e.Error())
	}
	return out
}

func hpa() *autoscalingv2.HorizontalPodAutoscaler {
	h := &autoscalingv2.HorizontalPodAutoscaler{
		ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "default"},
		Spec: autoscalingv2.HorizontalPodAutoscalerSpec{
			ScaleTargetRef: autoscalingv2.CrossVersionObjectReference{APIVersion: "apps/v1", Kind: "Deployment", Name: "web"},
			MaxReplicas:    10,
		},
	}
	strategy{}.Default(h)
	return h
}

func TestDefaults(t *testing.T) {
	h := hpa()
	want := []autoscalingv2.MetricSpec{{Type: autoscalingv2.ResourceMetricSourceType, Resource: &autoscalingv2.ResourceMetricSource{
		Name: corev1.ResourceCPU, Target: autoscalingv2.MetricTarget{Type: autoscalingv2.UtilizationMetricType, AverageUtilization: ptr[int32](80)}}}}
	if *h.Spec.MinReplicas != 1 || !reflect.DeepEqual(h.Spec.Metrics, want) || h.Spec.Behavior != nil {
		t.Fatalf("defaults %+v", h.Spec)
	}

	b := hpa()
	b.Spec.Behavior = &autoscalingv2.HorizontalPodAutoscalerBehavior{ScaleDown: &autoscalingv2.HPAScalingRules{StabilizationWindowSeconds: ptr[int32](60)}}
	strategy{}.Default(b)
	max := autoscalingv2.MaxChangePolicySelect
	wantUp := &autoscalingv2.HPAScalingRules{StabilizationWindowSeconds: ptr[int32](0), SelectPolicy: &max, Policies: []autoscalingv2.HPAScalingPolicy{
		{Type: autoscalingv2.PodsScalingPolicy, Value: 4, PeriodSeconds: 15}, {Type: autoscalingv2.PercentScalingPolicy, Value: 100, PeriodSeconds: 15}}}
	wantDown := &autoscalingv2.HPAScalingRules{StabilizationWindowSeconds: ptr[int32](60), SelectPolicy: &max, Policies: []autoscalingv2.HPAScalingPolicy{
		{Type: autoscalingv2.PercentScalingPolicy, Value: 100, PeriodSeconds: 15}}}
	if !reflect.DeepEqual(b.Spec.Behavior.ScaleUp, wantUp) || !reflect.DeepEqual(b.Spec.Behavior.ScaleDown, wantDown) {
		t.Fatalf("behavior defaults up %+v down %+v", b.Spec.Behavior.ScaleUp, b.Spec.Behavior.ScaleDown)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*autoscalingv2.HorizontalPodAutoscaler)
		want   []string
	}{
		{"valid", func(*autoscalingv2.HorizontalPodAutoscaler) {}, nil},
		{"replicas", func(h *autoscalingv2.HorizontalPodAutoscaler) {
			h.Spec.MinReplicas, h.Spec.MaxReplicas = ptr[int32](0), 0
		}, []string{
			"spec.minReplicas: Invalid value: 0: must be greater than or equal to 1",
			"spec.maxReplicas: Invalid value: 0: must be greater than 0",
		}},
		{"min above max", func(h *autoscalingv2.HorizontalPodAutoscaler) { h.Spec.MinReplicas = ptr[int32](11) }, []string{
			"spec.maxReplicas: Invalid value: 10: must be greater than or equal to `minReplicas`"}},
		{"reference", func(h *autoscalingv2.HorizontalPodAutoscaler) {
			h.Spec.ScaleTargetRef = autoscalingv2.CrossVersionObjectReference{Name: "a/b"}
		}, []string{
			"spec.scaleTargetRef.kind: Required value",
			`spec.scaleTargetRef.name: Invalid value: "a/b": may not contain '/'`,
		}},
		{"resource without target", func(h *autoscalingv2.HorizontalPodAutoscaler) {
			h.Spec.Metrics[0].Resource.Target = autoscalingv2.MetricTarget{Type: autoscalingv2.UtilizationMetricType}
		}, []string{"spec.metrics[0].resource.target.averageUtilization: Required value: must set either a target raw value or a target utilization"}},
		{"pods metric", func(h *autoscalingv2.HorizontalPodAutoscaler) {
			h.Spec.Metrics = []autoscalingv2.MetricSpec{{Type: autoscalingv2.PodsMetricSourceType, Pods: &autoscalingv2.PodsMetricSource{
				Metric: autoscalingv2.MetricIdentifier{Name: "requests_per_second"},
				Target: autoscalingv2.MetricTarget{Type: autoscalingv2.AverageValueMetricType, AverageValue: ptr(resource.MustParse("-1"))}}}}
		}, []string{`spec.metrics[0].pods.target.averageValue: Invalid value: resource.Quantity{i:resource.int64Amount{value:-1, scale:0}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"-1", Format:"DecimalSI"}: must be positive`}},
		{"wrong source", func(h *autoscalingv2.HorizontalPodAutoscaler) {
			h.Spec.Metrics[0].Type = autoscalingv2.ExternalMetricSourceType
		}, []string{
			"spec.metrics[0].external: Required value: must populate information for the given metric source"}},
		{"two sources", func(h *autoscalingv2.HorizontalPodAutoscaler) {
			h.Spec.Metrics[0].Pods = &autoscalingv2.PodsMetricSource{}
		}, []string{ // as upstream: the first source given (pods before resource) is the one validated
			"spec.metrics[0].pods.metric.name: Required value: must specify a metric name",
			"spec.metrics[0].pods.target.type: Required value: must specify a metric target type",
			`spec.metrics[0].pods.target.type: Invalid value: "": must be either Utilization, Value, or AverageValue`,
			"spec.metrics[0].pods.target.averageValue: Required value: must specify a positive target averageValue",
			"spec.metrics[0].pods: Forbidden: must populate the given metric source only",
		}},
		{"unknown type", func(h *autoscalingv2.HorizontalPodAutoscaler) { h.Spec.Metrics[0].Type = "Magic" }, []string{
			`spec.metrics[0].type: Unsupported value: "Magic": supported values: "ContainerResource", "External", "Object", "Pods", "Resource"`,
			`spec.metrics[0].type: Unsupported value: "Magic": supported values: "ContainerResource", "External", "Object", "Pods", "Resource"`,
		}},
		{"container resource", func(h *autoscalingv2.HorizontalPodAutoscaler) {
			h.Spec.Metrics = []autoscalingv2.MetricSpec{{Type: autoscalingv2.ContainerResourceMetricSourceType, ContainerResource: &autoscalingv2.ContainerResourceMetricSource{
				Name: "gpu", Container: "App", Target: autoscalingv2.MetricTarget{Type: "Percent", AverageUtilization: ptr[int32](50)}}}}
		}, []string{
			`spec.metrics[0].containerResource.name: Invalid value: "gpu": must be a standard resource for containers`,
			`spec.metrics[0].containerResource.container: Invalid value: "App": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
			`spec.metrics[0].containerResource.target.type: Invalid value: "Percent": must be either Utilization, Value, or AverageValue`,
		}},
		{"behavior", func(h *autoscalingv2.HorizontalPodAutoscaler) {
			h.Spec.Behavior = &autoscalingv2.HorizontalPodAutoscalerBehavior{ScaleUp: &autoscalingv2.HPAScalingRules{
				StabilizationWindowSeconds: ptr[int32](4000),
				SelectPolicy:               ptr(autoscalingv2.ScalingPolicySelect("Random")),
				Policies:                   []autoscalingv2.HPAScalingPolicy{{Type: "Nodes", Value: 0, PeriodSeconds: 3600}},
			}}
		}, []string{
			"spec.behavior.scaleUp.stabilizationWindowSeconds: Invalid value: 4000: must be less than or equal to 3600",
			`spec.behavior.scaleUp.selectPolicy: Unsupported value: "Random": supported values: "Disabled", "Max", "Min"`,
			`spec.behavior.scaleUp.policies[0].type: Unsupported value: "Nodes": supported values: "Percent", "Pods"`,
			"spec.behavior.scaleUp.policies[0].value: Invalid value: 0: must be greater than zero",
			"spec.behavior.scaleUp.policies[0].periodSeconds: Invalid value: 3600: must be less than or equal to 1800",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := hpa()
			tt.mutate(h)
			if got := errorStrings(strategy{}.Validate(context.Background(), h)); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("errors\n got  %q\n want %q", got, tt.want)
			}
		})
	}
}

func TestLifecycle(t *testing.T) {
	ctx := context.Background()
	h := hpa()
	h.Status.CurrentReplicas = 3
	strategy{}.PrepareForCreate(ctx, h)
	if h.Status.CurrentReplicas != 0 || h.Generation != 0 {
		t.Fatalf("create: status %+v generation %d", h.Status, h.Generation)
	}
	h.Status.CurrentReplicas = 2
	upd := h.DeepCopy()
	upd.Status.CurrentReplicas = 7
	strategy{}.PrepareForUpdate(ctx, upd, h)
	if upd.Status.CurrentReplicas != 2 {
		t.Fatal("update changed the status")
	}
	st := h.DeepCopy()
	st.Status.DesiredReplicas = -1
	if got := errorStrings(statusStrategy{}.ValidateUpdate(ctx, st, h)); len(got) != 1 || got[0] != "status.desiredReplicas: Invalid value: -1: must be greater than or equal to 0" {
		t.Fatalf("status errors %q", got)
	}
}

func TestTable(t *testing.T) {
	now := time.Date(2024, 8, 1, 12, 0, 0, 0, time.UTC)
	h := hpa()
	h.CreationTimestamp = metav1.NewTime(now.Add(-2 * time.Minute))
	h.Status.CurrentReplicas = 3
	h.Status.CurrentMetrics = []autoscalingv2.MetricStatus{{Type: autoscalingv2.ResourceMetricSourceType, Resource: &autoscalingv2.ResourceMetricStatus{
		Name: corev1.ResourceCPU, Current: autoscalingv2.MetricValueStatus{AverageUtilization: ptr[int32](42)}}}}
	h.Spec.Metrics = append(h.Spec.Metrics,
		autoscalingv2.MetricSpec{Type: autoscalingv2.ResourceMetricSourceType, Resource: &autoscalingv2.ResourceMetricSource{Name: corev1.ResourceMemory,
			Target: autoscalingv2.MetricTarget{Type: autoscalingv2.AverageValueMetricType, AverageValue: ptr(resource.MustParse("500Mi"))}}},
		autoscalingv2.MetricSpec{Type: autoscalingv2.PodsMetricSourceType, Pods: &autoscalingv2.PodsMetricSource{
			Target: autoscalingv2.MetricTarget{Type: autoscalingv2.AverageValueMetricType, AverageValue: ptr(resource.MustParse("10"))}}})
	bare := hpa()
	bare.Name, bare.CreationTimestamp, bare.Spec.MinReplicas, bare.Spec.Metrics = "bare", h.CreationTimestamp, nil, nil
	tbl, _ := table(func() time.Time { return now })([]storage.Object{h, bare}, true)
	var cols []string
	for _, c := range tbl.ColumnDefinitions {
		cols = append(cols, c.Name)
	}
	if !reflect.DeepEqual(cols, []string{"Name", "Reference", "Targets", "MinPods", "MaxPods", "Replicas", "Age"}) {
		t.Fatalf("columns %v", cols)
	}
	want := [][]any{
		{"web", "Deployment/web", "cpu: 42%/80%, memory: <unknown>/500Mi + 1 more...", "1", int64(10), int64(3), "2m"},
		{"bare", "Deployment/web", "<none>", "<unset>", int64(10), int64(0), "2m"},
	}
	for i, r := range tbl.Rows {
		if !reflect.DeepEqual(r.Cells, want[i]) {
			t.Fatalf("row %d\n got  %#v\n want %#v", i, r.Cells, want[i])
		}
	}
}
