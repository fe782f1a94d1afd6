package batch

import (
	"reflect"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/storage"
)

var (
	testNow  = time.Date(2024, 8, 1, 12, 0, 0, 0, time.UTC)
	fixedNow = func() time.Time { return testNow }
	created  = metav1.NewTime(testNow.Add(-10 * time.Minute))
)

func podTemplate(restart corev1.RestartPolicy) corev1.PodTemplateSpec {
	return corev1.PodTemplateSpec{Spec: corev1.PodSpec{
		RestartPolicy: restart,
		Containers:    []corev1.Container{{Name: "pi", Image: "perl:5.34"}},
	}}
}

func expectErrors(t *testing.T, errs field.ErrorList, want ...string) {
	t.Helper()
	got := make([]string, len(errs))
	for i, e := range errs {
		got[i] = e.Error()
	}
	if len(want) == 0 && len(got) == 0 {
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("errors:\n  got  %s\n  want %s", strings.Join(got, "\n       "), strings.Join(want, "\n       "))
	}
}

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

type storageObject = storage.Object
