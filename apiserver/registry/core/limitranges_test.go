package core

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/skiff-dev/skiff/apiserver/storage"
)

func rl(kv ...string) corev1.ResourceList {
	out := corev1.ResourceList{}
	for i := 0; i < len(kv); i += 2 {
		out[corev1.ResourceName(kv[i])] = resource.MustParse(kv[i+1])
	}
	return out
}

func TestLimitRangeDefaults(t *testing.T) {
	lr := &corev1.LimitRange{Spec: corev1.LimitRangeSpec{Limits: []corev1.LimitRangeItem{
		{Type: corev1.LimitTypeContainer, Max: rl("cpu", "2", "memory", "1Gi"), Min: rl("ephemeral-storage", "1Gi"), Default: rl("memory", "512Mi")},
		{Type: corev1.LimitTypePod, Max: rl("cpu", "4")},
	}}}
	limitRangeStrategy{}.Default(lr)
	c := lr.Spec.Limits[0]
	check := func(what string, list corev1.ResourceList, want corev1.ResourceList) {
		t.Helper()
		if len(list) != len(want) {
			t.Errorf("%s = %v, want %v", what, list, want)
		}
		for k, v := range want {
			if q := list[k]; q.Cmp(v) != 0 {
				t.Errorf("%s[%s] = %s, want %s", what, k, q.String(), v.String())
			}
		}
	}
	check("default", c.Default, rl("cpu", "2", "memory", "512Mi"))
	check("defaultRequest", c.DefaultRequest, rl("cpu", "2", "memory", "512Mi", "ephemeral-storage", "1Gi"))
	if lr.Spec.Limits[1].Default != nil {
		t.Errorf("pod limits got defaults")
	}
}

func TestLimitRangeValidate(t *testing.T) {
	tests := []struct {
		name   string
		limits []corev1.LimitRangeItem
		want   []string
	}{
		{"valid", []corev1.LimitRangeItem{
			{Type: corev1.LimitTypeContainer, Min: rl("cpu", "100m"), DefaultRequest: rl("cpu", "200m"), Default: rl("cpu", "500m"), Max: rl("cpu", "1"), MaxLimitRequestRatio: rl("cpu", "10")},
			{Type: corev1.LimitTypePersistentVolumeClaim, Min: rl("storage", "1Gi")},
			{Type: "example.com/custom", Max: rl("example.com/gpu", "1")},
		}, nil},
		{"type", []corev1.LimitRangeItem{{Type: "Node"}, {Type: corev1.LimitTypePod}, {Type: corev1.LimitTypePod}}, []string{
			`spec.limits[0].type: Invalid value: "Node": must be a standard limit type or fully qualified`,
			`spec.limits[2].type: Duplicate value: "Pod"`,
		}},
		{"pod defaults", []corev1.LimitRangeItem{{Type: corev1.LimitTypePod, Default: rl("cpu", "1"), DefaultRequest: rl("cpu", "1")}}, []string{
			"spec.limits[0].default: Forbidden: may not be specified when `type` is 'Pod'",
			"spec.limits[0].defaultRequest: Forbidden: may not be specified when `type` is 'Pod'",
		}},
		{"resource names", []corev1.LimitRangeItem{{Type: corev1.LimitTypeContainer, Max: rl("storage", "1Gi", "pods", "3")}}, []string{
			`spec.limits[0].max[pods]: Invalid value: pods: must be a standard resource for containers`,
			`spec.limits[0].max[storage]: Invalid value: storage: must be a standard resource for containers`,
		}},
		{"pvc needs storage bounds", []corev1.LimitRangeItem{{Type: corev1.LimitTypePersistentVolumeClaim}}, []string{
			"spec.limits[0].limits: Required value: either minimum or maximum storage value is required, but neither was provided",
		}},
		{"ordering", []corev1.LimitRangeItem{{Type: corev1.LimitTypeContainer,
			Min: rl("memory", "2Gi"), Max: rl("memory", "1Gi"), Default: rl("memory", "3Gi"), DefaultRequest: rl("memory", "4Gi")}}, []string{
			`spec.limits[0].min[memory]: Invalid value: resource.Quantity{i:resource.int64Amount{value:2147483648, scale:0}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"2Gi", Format:"BinarySI"}: min value 2Gi is greater than max value 1Gi`,
			`spec.limits[0].defaultRequest[memory]: Invalid value: resource.Quantity{i:resource.int64Amount{value:4294967296, scale:0}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"4Gi", Format:"BinarySI"}: default request value 4Gi is greater than max value 1Gi`,
			`spec.limits[0].defaultRequest[memory]: Invalid value: resource.Quantity{i:resource.int64Amount{value:4294967296, scale:0}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"4Gi", Format:"BinarySI"}: default request value 4Gi is greater than default limit value 3Gi`,
			`spec.limits[0].default[memory]: Invalid value: resource.Quantity{i:resource.int64Amount{value:1073741824, scale:0}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"1Gi", Format:"BinarySI"}: default value 3Gi is greater than max value 1Gi`,
		}},
		{"ratio", []corev1.LimitRangeItem{{Type: corev1.LimitTypeContainer, Min: rl("cpu", "1"), Max: rl("cpu", "2"), MaxLimitRequestRatio: rl("cpu", "3")}}, []string{
			`spec.limits[0].maxLimitRequestRatio[cpu]: Invalid value: resource.Quantity{i:resource.int64Amount{value:3, scale:0}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"3", Format:"DecimalSI"}: ratio 3 is greater than max/min = 2.000000`,
		}},
		{"hugepages not overcommitted", []corev1.LimitRangeItem{{Type: corev1.LimitTypeContainer, Default: rl("hugepages-2Mi", "4Mi"), DefaultRequest: rl("hugepages-2Mi", "2Mi")}}, []string{
			`spec.limits[0].defaultRequest[hugepages-2Mi]: Invalid value: resource.Quantity{i:resource.int64Amount{value:2097152, scale:0}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"2Mi", Format:"BinarySI"}: default value 4Mi must equal to defaultRequest value 2Mi in hugepages-2Mi`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lr := &corev1.LimitRange{Spec: corev1.LimitRangeSpec{Limits: tt.limits}}
			checkErrs(t, limitRangeStrategy{}.Validate(ctx, lr), tt.want...)
		})
	}
}

func TestLimitRangeNameAndTable(t *testing.T) {
	lr := &corev1.LimitRange{}
	limitRangeStrategy{}.PrepareForCreate(ctx, lr)
	if len(lr.Name) != 36 {
		t.Errorf("generated name %q", lr.Name)
	}
	named := &corev1.LimitRange{ObjectMeta: metav1.ObjectMeta{GenerateName: "lr-"}}
	limitRangeStrategy{}.PrepareForCreate(ctx, named)
	if named.Name != "" {
		t.Errorf("generateName overridden: %q", named.Name)
	}
	r := limitRangesResource()
	checkRows(t, r.Table, []storage.Object{&corev1.LimitRange{ObjectMeta: meta("limits")}}, false,
		[]string{"Name", "Created At"}, []any{"limits", "2024-05-01T10:00:00Z"})
	if !r.AllowCreateOnUpdate || r.ShortNames[0] != "limits" {
		t.Errorf("resource = %+v", r)
	}
}
