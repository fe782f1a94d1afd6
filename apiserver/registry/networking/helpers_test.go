package networking

import (
	"reflect"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

var (
	testNow  = time.Date(2024, 8, 1, 12, 0, 0, 0, time.UTC)
	fixedNow = func() time.Time { return testNow }
	created  = metav1.NewTime(testNow.Add(-3 * time.Hour))
)

func ptr[T any](v T) *T { return &v }

func expectErrors(t *testing.T, errs field.ErrorList, want ...string) {
	t.Helper()
	var got []string
	for _, e := range errs {
		got = append(got, e.Error())
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("errors\n got  %q\n want %q", got, want)
	}
}

func checkTable(t *testing.T, table *metav1.Table, columns []string, rows ...[]any) {
	t.Helper()
	var got []string
	for _, c := range table.ColumnDefinitions {
		got = append(got, c.Name)
		if c.Description == "" {
			t.Errorf("column %q has no description", c.Name)
		}
	}
	if !reflect.DeepEqual(got, columns) {
		t.Fatalf("columns %q, want %q", got, columns)
	}
	if len(table.Rows) != len(rows) {
		t.Fatalf("%d rows, want %d", len(table.Rows), len(rows))
	}
	for i, r := range rows {
		if !reflect.DeepEqual(table.Rows[i].Cells, r) {
			t.Fatalf("row %d\n got  %#v\n want %#v", i, table.Rows[i].Cells, r)
		}
	}
}
