package apps

import (
	"context"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

func revision(data string) *appsv1.ControllerRevision {
	cr := &appsv1.ControllerRevision{
		ObjectMeta: metav1.ObjectMeta{Name: "agent-7b9f", Namespace: "kube-system", CreationTimestamp: createdTime},
		Revision:   2,
	}
	if data != "" {
		cr.Data = runtime.RawExtension{Raw: []byte(data)}
	}
	return cr
}

func TestControllerRevisionValidate(t *testing.T) {
	ctx := context.Background()
	s := controllerRevisionStrategy{}
	expectErrors(t, s.Validate(ctx, revision(`{"spec":{}}`)))
	bad := revision("")
	bad.Revision = -1
	expectErrors(t, s.Validate(ctx, bad),
		"data: Required value: data is mandatory",
		"revision: Invalid value: -1: must be greater than or equal to 0")

	old := revision(`{"spec":{"template":{"x":1}}}`)
	expectErrors(t, s.ValidateUpdate(ctx, revision(`{ "spec": { "template": {"x": 1} } }`), old))
	expectErrorPrefixes(t, s.ValidateUpdate(ctx, revision(`{"spec":{"template":{"x":2}}}`), old), "data: Invalid value: ")
}

func TestControllerRevisionTable(t *testing.T) {
	cr := revision(`{}`)
	yes := true
	cr.OwnerReferences = []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "DaemonSet", Name: "agent", UID: "u", Controller: &yes}}
	orphan := revision(`{}`)
	orphan.Name = "orphan"
	table, _ := controllerRevisionTable(fixedNow)([]storageObject{cr, orphan}, true)
	checkColumns(t, table, []string{"Name", "Controller", "Revision", "Age"})
	checkCells(t, table.Rows[0].Cells, []any{"agent-7b9f", "daemonset.apps/agent", int64(2), "5m"})
	checkCells(t, table.Rows[1].Cells, []any{"orphan", "<none>", int64(2), "5m"})
}
