package coordination

import (
	"context"
	"reflect"
	"testing"
	"time"

	coordinationv1 "k8s.io/api/coordination/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/skiff-dev/skiff/apiserver/storage"
)

func ptr[T any](v T) *T { return &v }

func TestLeaseValidate(t *testing.T) {
	tests := []struct {
		name string
		spec coordinationv1.LeaseSpec
		want []string
	}{
		{"valid", coordinationv1.LeaseSpec{HolderIdentity: ptr("node-1"), LeaseDurationSeconds: ptr[int32](40), LeaseTransitions: ptr[int32](0)}, nil},
		{"empty", coordinationv1.LeaseSpec{}, nil},
		{"zero duration", coordinationv1.LeaseSpec{LeaseDurationSeconds: ptr[int32](0)}, []string{
			"spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0"}},
		{"negative transitions", coordinationv1.LeaseSpec{LeaseTransitions: ptr[int32](-1)}, []string{
			"spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := &coordinationv1.Lease{Spec: tt.spec}
			for _, errs := range [][]string{
				errorStrings(leaseStrategy{}.Validate(context.Background(), l)),
				errorStrings(leaseStrategy{}.ValidateUpdate(context.Background(), l, l)),
			} {
				if !reflect.DeepEqual(errs, tt.want) {
					t.Fatalf("errors %q, want %q", errs, tt.want)
				}
			}
		})
	}
}

func TestLeaseDropsDisabledFields(t *testing.T) {
	strategy := coordinationv1.OldestEmulationVersion
	l := &coordinationv1.Lease{Spec: coordinationv1.LeaseSpec{Strategy: &strategy, PreferredHolder: ptr("x")}}
	leaseStrategy{}.PrepareForCreate(context.Background(), l)
	if l.Spec.Strategy != nil || l.Spec.PreferredHolder != nil {
		t.Fatalf("alpha fields kept on create: %+v", l.Spec)
	}
	old := &coordinationv1.Lease{Spec: coordinationv1.LeaseSpec{Strategy: &strategy}}
	upd := &coordinationv1.Lease{Spec: coordinationv1.LeaseSpec{Strategy: &strategy, PreferredHolder: ptr("x")}}
	leaseStrategy{}.PrepareForUpdate(context.Background(), upd, old)
	if upd.Spec.Strategy == nil || upd.Spec.PreferredHolder != nil {
		t.Fatalf("update: %+v", upd.Spec)
	}
}

func TestLeaseResourceAndTable(t *testing.T) {
	res := Resources()[0]
	if res.GVR.String() != "coordination.k8s.io/v1, Resource=leases" || !res.AllowCreateOnUpdate || !res.Namespaced || res.StoragePrefix != "leases" {
		t.Fatalf("resource %+v", res)
	}
	now := time.Date(2024, 8, 1, 12, 0, 0, 0, time.UTC)
	l := &coordinationv1.Lease{ObjectMeta: metav1.ObjectMeta{Name: "kube-scheduler", CreationTimestamp: metav1.NewTime(now.Add(-49 * time.Hour))},
		Spec: coordinationv1.LeaseSpec{HolderIdentity: ptr("cp-1_5f1c")}}
	free := &coordinationv1.Lease{ObjectMeta: metav1.ObjectMeta{Name: "free", CreationTimestamp: metav1.NewTime(now.Add(-30 * time.Second))}}
	table, err := leaseTable(func() time.Time { return now })([]storage.Object{l, free}, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(table.ColumnDefinitions) != 3 || table.ColumnDefinitions[1].Name != "Holder" {
		t.Fatalf("columns %+v", table.ColumnDefinitions)
	}
	want := [][]any{{"kube-scheduler", "cp-1_5f1c", "2d1h"}, {"free", "", "30s"}}
	for i, row := range table.Rows {
		if !reflect.DeepEqual(row.Cells, want[i]) {
			t.Fatalf("row %d: %#v, want %#v", i, row.Cells, want[i])
		}
	}
}

func errorStrings[E interface{ Error() string }](errs []E) []string {
	var out []string
	for _, e := range errs {
		out = append(out, e.Error())
	}
	return out
}
