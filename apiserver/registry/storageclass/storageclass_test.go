package storageclass

import (
	"context"
	"reflect"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	storagev1 "k8s.io/api/storage/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/storage"
)

func ptr[T any](v T) *T { return &v }

func class() *storagev1.StorageClass {
	sc := &storagev1.StorageClass{
		ObjectMeta:  metav1.ObjectMeta{Name: "local-path"},
		Provisioner: "rancher.io/local-path",
		Parameters:  map[string]string{"nodePath": "/data"},
	}
	strategy{}.Default(sc)
	return sc
}

func errorStrings(errs field.ErrorList) []string {
	var out []string
	for _, e := range errs {
		out = append(out, e.Error())
	}
	return out
}

func TestDefaults(t *testing.T) {
	sc := class()
	if *sc.ReclaimPolicy != corev1.PersistentVolumeReclaimDelete || *sc.VolumeBindingMode != storagev1.VolumeBindingImmediate {
		t.Fatalf("defaults %v %v", *sc.ReclaimPolicy, *sc.VolumeBindingMode)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*storagev1.StorageClass)
		want   []string
	}{
		{"valid", func(*storagev1.StorageClass) {}, nil},
		{"no provisioner", func(sc *storagev1.StorageClass) { sc.Provisioner = "" }, []string{"provisioner: Required value"}},
		{"bad provisioner", func(sc *storagev1.StorageClass) { sc.Provisioner = "Bad Provisioner" }, []string{
			`provisioner: Invalid value: "bad provisioner": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`}},
		{"reclaim policy", func(sc *storagev1.StorageClass) { sc.ReclaimPolicy = ptr(corev1.PersistentVolumeReclaimRecycle) }, []string{
			`reclaimPolicy: Unsupported value: "Recycle": supported values: "Delete", "Retain"`}},
		{"binding mode", func(sc *storagev1.StorageClass) { sc.VolumeBindingMode = ptr(storagev1.VolumeBindingMode("Later")) }, []string{
			`volumeBindingMode: Unsupported value: "Later": supported values: "Immediate", "WaitForFirstConsumer"`}},
		{"empty parameter key", func(sc *storagev1.StorageClass) { sc.Parameters[""] = "x" }, []string{
			`parameters: Invalid value: "": field can not be empty.`}},
		{"topologies", func(sc *storagev1.StorageClass) {
			term := corev1.TopologySelectorTerm{MatchLabelExpressions: []corev1.TopologySelectorLabelRequirement{
				{Key: "topology.kubernetes.io/zone", Values: []string{"a", "a"}},
				{Key: "topology.kubernetes.io/zone", Values: []string{"b"}},
			}}
			sc.AllowedTopologies = []corev1.TopologySelectorTerm{term, term}
		}, []string{
			`allowedTopologies[0].matchLabelExpressions[0].values[1]: Duplicate value: "a"`,
			`allowedTopologies[0].matchLabelExpressions[1].key: Duplicate value: "topology.kubernetes.io/zone"`,
			`allowedTopologies[1].matchLabelExpressions[0].values[1]: Duplicate value: "a"`,
			`allowedTopologies[1].matchLabelExpressions[1].key: Duplicate value: "topology.kubernetes.io/zone"`,
			`allowedTopologies[1].matchLabelExpressions: Duplicate value: ""`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := class()
			tt.mutate(sc)
			if got := errorStrings(strategy{}.Validate(context.Background(), sc)); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("errors\n got  %q\n want %q", got, tt.want)
			}
		})
	}
}

func TestValidateUpdate(t *testing.T) {
	old := class()
	sc := class()
	sc.AllowVolumeExpansion = ptr(true)
	sc.MountOptions = []string{"noatime"}
	if errs := (strategy{}).ValidateUpdate(context.Background(), sc, old); len(errs) != 0 {
		t.Fatalf("mutable fields refused: %v", errs)
	}
	sc.Provisioner = "example.com/other"
	sc.Parameters = map[string]string{"x": "y"}
	sc.ReclaimPolicy = ptr(corev1.PersistentVolumeReclaimRetain)
	sc.VolumeBindingMode = ptr(storagev1.VolumeBindingWaitForFirstConsumer)
	want := []string{
		"parameters: Forbidden: updates to parameters are forbidden.",
		"provisioner: Forbidden: updates to provisioner are forbidden.",
		"reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden.",
		`volumeBindingMode: Invalid value: "WaitForFirstConsumer": field is immutable`,
	}
	if got := errorStrings(strategy{}.ValidateUpdate(context.Background(), sc, old)); !reflect.DeepEqual(got, want) {
		t.Fatalf("errors\n got  %q\n want %q", got, want)
	}
}

func TestResourceAndTable(t *testing.T) {
	res := Resources()[0]
	if res.Namespaced || res.StoragePrefix != "storageclasses" || res.ShortNames[0] != "sc" || res.GVR.Group != "storage.k8s.io" {
		t.Fatalf("resource %+v", res)
	}
	now := time.Date(2024, 8, 1, 12, 0, 0, 0, time.UTC)
	def := class()
	def.CreationTimestamp = metav1.NewTime(now.Add(-72 * time.Hour))
	def.Annotations = map[string]string{defaultClassAnnotation: "true"}
	def.AllowVolumeExpansion = ptr(true)
	other := &storagev1.StorageClass{ObjectMeta: metav1.ObjectMeta{Name: "slow", CreationTimestamp: def.CreationTimestamp,
		Annotations: map[string]string{betaDefaultClassAnnotation: "false"}}, Provisioner: "example.com/slow"}
	tbl, _ := table(func() time.Time { return now })([]storage.Object{def, other}, true)
	var cols []string
	for _, c := range tbl.ColumnDefinitions {
		cols = append(cols, c.Name)
	}
	if !reflect.DeepEqual(cols, []string{"Name", "Provisioner", "ReclaimPolicy", "VolumeBindingMode", "AllowVolumeExpansion", "Age"}) {
		t.Fatalf("columns %v", cols)
	}
	want := [][]any{
		{"local-path (default)", "rancher.io/local-path", "Delete", "Immediate", true, "3d"},
		{"slow", "example.com/slow", "Delete", "Immediate", false, "3d"},
	}
	for i, r := range tbl.Rows {
		if !reflect.DeepEqual(r.Cells, want[i]) {
			t.Fatalf("row %d %#v, want %#v", i, r.Cells, want[i])
		}
	}
}
