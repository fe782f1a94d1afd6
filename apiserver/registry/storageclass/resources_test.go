package storageclass

import (
	"reflect"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/scheme"
)

var (
	testNow  = time.Date(2024, 8, 1, 12, 0, 0, 0, time.UTC)
	fixedNow = func() time.Time { return testNow }
	created  = metav1.NewTime(testNow.Add(-3 * time.Hour))
)

// dnsSubdomainMsg is apimachinery's message for a name that is not a DNS
// subdomain.
const dnsSubdomainMsg = `a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`

func expectErrors(t *testing.T, errs field.ErrorList, want ...string) {
	t.Helper()
	if got := errorStrings(errs); !reflect.DeepEqual(got, want) {
		t.Fatalf("errors\n got  %q\n want %q", got, want)
	}
}

// checkTable compares the column names (each with a description) and the
// rows' cells.
func checkTable(t *testing.T, tbl *metav1.Table, columns []string, rows ...[]any) {
	t.Helper()
	var got []string
	for _, c := range tbl.ColumnDefinitions {
		got = append(got, c.Name)
		if c.Description == "" {
			t.Errorf("column %q has no description", c.Name)
		}
	}
	if !reflect.DeepEqual(got, columns) {
		t.Fatalf("columns %q, want %q", got, columns)
	}
	if len(tbl.Rows) != len(rows) {
		t.Fatalf("%d rows, want %d", len(tbl.Rows), len(rows))
	}
	for i, r := range tbl.Rows {
		if !reflect.DeepEqual(r.Cells, rows[i]) {
			t.Errorf("row %d\n got  %#v\n want %#v", i, r.Cells, rows[i])
		}
	}
}

// TestResources: every storage.k8s.io/v1 kind upstream serves, with its
// scope, names, etcd prefix, status subresource and DELETE answer, all
// known to the scheme.
func TestResources(t *testing.T) {
	type want struct {
		kind, singular, prefix string
		namespaced, status     bool
		short                  []string
		returnsDeleted, table  bool
	}
	wants := map[string]want{
		"storageclasses":       {"StorageClass", "storageclass", "storageclasses", false, false, []string{"sc"}, true, true},
		"csidrivers":           {"CSIDriver", "csidriver", "csidrivers", false, false, nil, true, true},
		"csinodes":             {"CSINode", "csinode", "csinodes", false, false, nil, true, true},
		"csistoragecapacities": {"CSIStorageCapacity", "csistoragecapacity", "csistoragecapacities", true, false, nil, false, false},
		"volumeattachments":    {"VolumeAttachment", "volumeattachment", "volumeattachments", false, true, nil, true, true},
	}
	s := scheme.New()
	res := Resources()
	if len(res) != len(wants) {
		t.Fatalf("%d resources, want %d", len(res), len(wants))
	}
	for _, r := range res {
		w, ok := wants[r.GVR.Resource]
		if !ok {
			t.Errorf("unexpected resource %s", r.GVR.Resource)
			continue
		}
		if r.GVR.Group != "storage.k8s.io" || r.GVR.Version != "v1" || r.Kind != w.kind || r.SingularName != w.singular ||
			r.StoragePrefix != w.prefix || r.Namespaced != w.namespaced || (r.Status != nil) != w.status ||
			!reflect.DeepEqual(r.ShortNames, w.short) || len(r.Categories) != 0 || r.ReturnDeletedObject != w.returnsDeleted ||
			(r.Table != nil) != w.table || r.AllowCreateOnUpdate || r.GetAttrs != nil || len(r.SelectableFields) != 0 {
			t.Errorf("%s: %+v", r.GVR.Resource, r)
		}
		for _, obj := range []runtime.Object{r.New(), r.NewList()} {
			if _, _, err := s.ObjectKinds(obj); err != nil {
				t.Errorf("%s: %T not in the scheme: %v", r.GVR.Resource, obj, err)
			}
		}
	}
}

func TestValidateDriverName(t *testing.T) {
	p := field.NewPath("spec", "attacher")
	long := strings.Repeat("a", 64)
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"valid", "csi.example.com", nil},
		{"upper case allowed", "CSI.Example.com", nil},
		{"empty", "", []string{"spec.attacher: Required value", `spec.attacher: Invalid value: "": ` + dnsSubdomainMsg}},
		{"too long", long, []string{"spec.attacher: Too long: must have at most 63 bytes"}},
		{"not a subdomain", "csi_driver", []string{`spec.attacher: Invalid value: "csi_driver": ` + dnsSubdomainMsg}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			expectErrors(t, validateDriverName(tt.in, p), tt.want...)
		})
	}
}
