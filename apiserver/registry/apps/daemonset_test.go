package apps

import (
	"context"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

func validDaemonSet() *appsv1.DaemonSet {
	ds := &appsv1.DaemonSet{
		ObjectMeta: metav1.ObjectMeta{Name: "agent", Namespace: "kube-system", CreationTimestamp: createdTime},
		Spec: appsv1.DaemonSetSpec{
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "agent"}},
			Template: podTemplate(map[string]string{"app": "agent"}),
		},
	}
	daemonSetStrategy{}.Default(ds)
	return ds
}

func TestDaemonSetDefaults(t *testing.T) {
	ds := validDaemonSet()
	ru := ds.Spec.UpdateStrategy.RollingUpdate
	if ds.Spec.UpdateStrategy.Type != appsv1.RollingUpdateDaemonSetStrategyType || ru == nil ||
		*ru.MaxUnavailable != intstr.FromInt32(1) || *ru.MaxSurge != intstr.FromInt32(0) || *ds.Spec.RevisionHistoryLimit != 10 {
		t.Fatalf("defaults: %+v", ds.Spec)
	}
}

func TestDaemonSetValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*appsv1.DaemonSet)
		want   []string
	}{
		{"valid", func(*appsv1.DaemonSet) {}, nil},
		{"surge and unavailable", func(ds *appsv1.DaemonSet) {
			v := intstr.FromString("10%")
			ds.Spec.UpdateStrategy.RollingUpdate.MaxSurge = &v
		}, []string{`spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"10%"}: may not be set when maxUnavailable is non-zero`}},
		{"neither", func(ds *appsv1.DaemonSet) {
			v := intstr.FromInt32(0)
			ds.Spec.UpdateStrategy.RollingUpdate.MaxUnavailable = &v
		}, []string{"spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0"}},
		{"empty selector", func(ds *appsv1.DaemonSet) { ds.Spec.Selector = &metav1.LabelSelector{} }, []string{
			"spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for daemonset",
		}},
		{"deadline", func(ds *appsv1.DaemonSet) { ds.Spec.Template.Spec.ActiveDeadlineSeconds = int64Ptr(30) }, []string{
			"spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in DaemonSet is not Supported",
		}},
		{"bad template generation", func(ds *appsv1.DaemonSet) {
			ds.Annotations = map[string]string{appsv1.DeprecatedTemplateGeneration: "x"}
		}, []string{`metadata.annotations[deprecated.daemonset.template.generation]: Invalid value: "x": must be an integer`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds := validDaemonSet()
			tt.mutate(ds)
			expectErrors(t, daemonSetStrategy{}.Validate(context.Background(), ds), tt.want...)
		})
	}
}

func TestDaemonSetTemplateGeneration(t *testing.T) {
	ctx := context.Background()
	s := daemonSetStrategy{}
	ds := validDaemonSet()
	s.PrepareForCreate(ctx, ds)
	if ds.Annotations[appsv1.DeprecatedTemplateGeneration] != "1" || ds.Generation != 1 {
		t.Fatalf("create: annotations %v generation %d", ds.Annotations, ds.Generation)
	}

	// A spec change outside the template moves only the generation.
	upd := ds.DeepCopy()
	upd.Spec.MinReadySeconds = 5
	upd.Annotations[appsv1.DeprecatedTemplateGeneration] = "42" // users cannot set it
	s.PrepareForUpdate(ctx, upd, ds)
	if upd.Annotations[appsv1.DeprecatedTemplateGeneration] != "1" || upd.Generation != 2 {
		t.Fatalf("spec update: annotations %v generation %d", upd.Annotations, upd.Generation)
	}

	// A template change moves both.
	upd2 := upd.DeepCopy()
	delete(upd2.Annotations, appsv1.DeprecatedTemplateGeneration)
	upd2.Spec.Template.Spec.Containers[0].Image = "nginx:1.28"
	s.PrepareForUpdate(ctx, upd2, upd)
	if upd2.Annotations[appsv1.DeprecatedTemplateGeneration] != "2" || upd2.Generation != 3 {
		t.Fatalf("template update: annotations %v generation %d", upd2.Annotations, upd2.Generation)
	}

	// The status subresource keeps it.
	st := upd2.DeepCopy()
	st.Annotations[appsv1.DeprecatedTemplateGeneration] = "9"
	daemonSetStatusStrategy{}.PrepareForUpdate(ctx, st, upd2)
	if st.Annotations[appsv1.DeprecatedTemplateGeneration] != "2" {
		t.Fatalf("status update changed the template generation: %v", st.Annotations)
	}

	sel := upd2.DeepCopy()
	sel.Spec.Selector.MatchLabels["x"] = "y"
	sel.Spec.Template.Labels["x"] = "y"
	expectErrorPrefixes(t, s.ValidateUpdate(ctx, sel, upd2), "spec.selector: Invalid value: ")
}

func TestDaemonSetStatusAndTable(t *testing.T) {
	ds := validDaemonSet()
	ds.Spec.Template.Spec.NodeSelector = map[string]string{"kubernetes.io/os": "linux"}
	ds.Status = appsv1.DaemonSetStatus{DesiredNumberScheduled: 3, CurrentNumberScheduled: 3, NumberReady: 2, UpdatedNumberScheduled: 3, NumberAvailable: 2, NumberMisscheduled: -1}
	expectErrors(t, daemonSetStatusStrategy{}.ValidateUpdate(context.Background(), ds, validDaemonSet()),
		"status.numberMisscheduled: Invalid value: -1: must be greater than or equal to 0")
	table, _ := daemonSetTable(fixedNow)([]storageObject{ds}, true)
	checkColumns(t, table, []string{"Name", "Desired", "Current", "Ready", "Up-to-date", "Available", "Node Selector", "Age", "Containers", "Images", "Selector"})
	checkCells(t, table.Rows[0].Cells, []any{"agent", int64(3), int64(3), int64(2), int64(3), int64(2), "kubernetes.io/os=linux", "5m", "web,sidecar", "nginx:1.27,busybox", "app=agent"})
	ds.Spec.Template.Spec.NodeSelector = nil
	narrow, _ := daemonSetTable(fixedNow)([]storageObject{ds}, false)
	checkCells(t, narrow.Rows[0].Cells, []any{"agent", int64(3), int64(3), int64(2), int64(3), int64(2), "<none>", "5m"})
}
