package apps

import (
	"reflect"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/skiff-dev/skiff/apiserver/storage"
)

type storageObject = storage.Object

func checkColumns(t *testing.T, table *metav1.Table, want []string) {
	t.Helper()
	got := make([]string, len(table.ColumnDefinitions))
	for i, c := range table.ColumnDefinitions {
		got[i] = c.Name
		if c.Description == "" {
			t.Errorf("column %q has no description", c.Name)
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("columns %q, want %q", got, want)
	}
}

func checkCells(t *testing.T, got, want []any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("cells\n got  %#v\n want %#v", got, want)
	}
}
