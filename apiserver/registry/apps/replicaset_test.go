package apps

import (
	"context"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func validReplicaSet() *appsv1.ReplicaSet {
	rs := &appsv1.ReplicaSet{
		ObjectMeta: metav1.ObjectMeta{Name: "web-5d8f", Namespace: "default", CreationTimestamp: createdTime, Labels: map[string]string{"app": "web"}},
		Spec: appsv1.ReplicaSetSpec{
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}},
			Template: podTemplate(map[string]string{"app": "web"}),
		},
	}
	replicaSetStrategy{}.Default(rs)
	return rs
}

func TestReplicaSetValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*appsv1.ReplicaSet)
		want   []string
	}{
		{"valid", func(*appsv1.ReplicaSet) {}, nil},
		{"defaults one replica", func(rs *appsv1.ReplicaSet) {
			if *rs.Spec.Replicas != 1 {
				t.Errorf("replicas %d", *rs.Spec.Replicas)
			}
		}, nil},
		{"negative replicas and minReadySeconds", func(rs *appsv1.ReplicaSet) {
			rs.Spec.Replicas = int32Ptr(-2)
			rs.Spec.MinReadySeconds = -1
		}, []string{
			"spec.replicas: Invalid value: -2: must be greater than or equal to 0",
			"spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0",
		}},
		{"bad selector", func(rs *appsv1.ReplicaSet) {
			rs.Spec.Selector.MatchExpressions = []metav1.LabelSelectorRequirement{{Key: "tier", Operator: "Near"}}
		}, []string{
			`spec.selector.matchExpressions[0].operator: Invalid value: "Near": not a valid selector operator`,
			`spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web"}, MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"tier", Operator:"Near", Values:[]string(nil)}}}: invalid label selector`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs := validReplicaSet()
			tt.mutate(rs)
			expectErrors(t, replicaSetStrategy{}.Validate(context.Background(), rs), tt.want...)
		})
	}
}

func TestReplicaSetCreateAndUpdate(t *testing.T) {
	ctx := context.Background()
	rs := validReplicaSet()
	rs.Status.Replicas = 5
	replicaSetStrategy{}.PrepareForCreate(ctx, rs)
	if rs.Generation != 1 || rs.Status.Replicas != 0 {
		t.Fatalf("create: generation %d status %+v", rs.Generation, rs.Status)
	}
	rs.Status.Replicas = 1
	upd := rs.DeepCopy()
	upd.Status.Replicas = 7
	upd.Spec.Selector = &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web", "x": "y"}}
	upd.Spec.Template.Labels["x"] = "y"
	replicaSetStrategy{}.PrepareForUpdate(ctx, upd, rs)
	if upd.Status.Replicas != 1 {
		t.Fatalf("update changed status: %+v", upd.Status)
	}
	expectErrorPrefixes(t, replicaSetStrategy{}.ValidateUpdate(ctx, upd, rs), "spec.selector: Invalid value: ")
}

func TestReplicaSetStatus(t *testing.T) {
	rs := validReplicaSet()
	rs.Status = appsv1.ReplicaSetStatus{Replicas: 2, FullyLabeledReplicas: 3, ReadyReplicas: 1, AvailableReplicas: 2}
	expectErrors(t, replicaSetStatusStrategy{}.ValidateUpdate(context.Background(), rs, validReplicaSet()),
		"status.fullyLabeledReplicas: Invalid value: 3: cannot be greater than status.replicas",
		"status.availableReplicas: Invalid value: 2: cannot be greater than readyReplicas")
}

func TestReplicaSetAttrsAndTable(t *testing.T) {
	rs := validReplicaSet()
	rs.Spec.Replicas = int32Ptr(3)
	rs.Status = appsv1.ReplicaSetStatus{Replicas: 3, ReadyReplicas: 2}
	_, f, err := replicaSetAttrs(rs)
	if err != nil || f["status.replicas"] != "3" || f["metadata.name"] != "web-5d8f" {
		t.Fatalf("attrs %v %v", f, err)
	}
	table, _ := replicaSetTable(fixedNow)([]storageObject{rs}, true)
	checkColumns(t, table, []string{"Name", "Desired", "Current", "Ready", "Age", "Containers", "Images", "Selector"})
	checkCells(t, table.Rows[0].Cells, []any{"web-5d8f", int64(3), int64(3), int64(2), "5m", "web,sidecar", "nginx:1.27,busybox", "app=web"})
}
