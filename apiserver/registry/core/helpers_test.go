package core

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

var (
	ctx     = context.Background()
	created = time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	// clock is five minutes after created.
	clock = func() time.Time { return created.Add(5 * time.Minute) }
)

// checkErrs compares errors as upstream prints them, in any order.
func checkErrs(t *testing.T, got field.ErrorList, want ...string) {
	t.Helper()
	g := make([]string, len(got))
	for i, e := range got {
		g[i] = e.Error()
	}
	sort.Strings(g)
	w := append([]string(nil), want...)
	sort.Strings(w)
	if strings.Join(g, "\n") != strings.Join(w, "\n") {
		t.Errorf("errors:\n got: %q\nwant: %q", g, w)
	}
}

// checkRows compares a table's column names and cells.
func checkRows(t *testing.T, tf registry.TableFunc, objs []storage.Object, wide bool, columns []string, rows ...[]any) {
	t.Helper()
	table, err := tf(objs, wide)
	if err != nil {
		t.Fatalf("table: %v", err)
	}
	var names []string
	for _, c := range table.ColumnDefinitions {
		names = append(names, c.Name)
	}
	if fmt.Sprint(names) != fmt.Sprint(columns) {
		t.Errorf("columns = %q, want %q", names, columns)
	}
	if len(table.Rows) != len(rows) {
		t.Fatalf("rows = %d, want %d", len(table.Rows), len(rows))
	}
	for i, r := range table.Rows {
		if fmt.Sprintf("%#v", r.Cells) != fmt.Sprintf("%#v", rows[i]) {
			t.Errorf("row %d = %#v, want %#v", i, r.Cells, rows[i])
		}
	}
}

func meta(name string) metav1.ObjectMeta {
	return metav1.ObjectMeta{Name: name, Namespace: "ns", CreationTimestamp: metav1.NewTime(created)}
}

func ptr[T any](v T) *T { return &v }

// put replaces obj with what an update through the store returns.
func put(obj storage.Object) registry.UpdateFunc {
	return func(context.Context, storage.Object) (storage.Object, error) { return obj, nil }
}
