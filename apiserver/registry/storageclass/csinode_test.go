package storageclass

import (
	"context"
	"strings"
	"testing"

	storagev1 "k8s.io/api/storage/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/skiff-dev/skiff/apiserver/storage"
)

func csiNode() *storagev1.CSINode {
	return &storagev1.CSINode{
		ObjectMeta: metav1.ObjectMeta{Name: "node-1"},
		Spec: storagev1.CSINodeSpec{Drivers: []storagev1.CSINodeDriver{{
			Name: "ebs.csi.aws.com", NodeID: "i-0123",
			TopologyKeys: []string{"topology.ebs.csi.aws.com/zone"},
			Allocatable:  &storagev1.VolumeNodeResources{Count: ptr(int32(25))},
		}}},
	}
}

func TestCSINodeValidate(t *testing.T) {
	const qualifiedMsg = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
	tests := []struct {
		name   string
		mutate func(*storagev1.CSINode)
		want   []string
	}{
		{"valid", func(*storagev1.CSINode) {}, nil},
		{"no drivers", func(n *storagev1.CSINode) { n.Spec.Drivers = nil }, nil},
		{"256-character node ID", func(n *storagev1.CSINode) { n.Spec.Drivers[0].NodeID = strings.Repeat("x", 256) }, nil},
		{"missing node ID", func(n *storagev1.CSINode) { n.Spec.Drivers[0].NodeID = "" }, []string{
			"spec.drivers[0].nodeID: Required value"}},
		{"node ID too long", func(n *storagev1.CSINode) { n.Spec.Drivers[0].NodeID = strings.Repeat("x", 257) }, []string{
			`spec.drivers[0].nodeID: Invalid value: "` + strings.Repeat("x", 257) + `": must be 256 characters or less`}},
		{"bad driver name", func(n *storagev1.CSINode) { n.Spec.Drivers[0].Name = "ebs_csi" }, []string{
			`spec.drivers[0].name: Invalid value: "ebs_csi": ` + dnsSubdomainMsg}},
		{"negative count", func(n *storagev1.CSINode) { n.Spec.Drivers[0].Allocatable.Count = ptr(int32(-1)) }, []string{
			"spec.drivers[0].allocatable.count: Invalid value: -1: must be greater than or equal to 0"}},
		{"duplicate driver", func(n *storagev1.CSINode) {
			d := n.Spec.Drivers[0]
			d.NodeID = "other"
			n.Spec.Drivers = append(n.Spec.Drivers, d)
		}, []string{`spec.drivers[1].name: Duplicate value: "ebs.csi.aws.com"`}},
		{"topology keys", func(n *storagev1.CSINode) {
			n.Spec.Drivers[0].TopologyKeys = []string{"zone", "zone", "", "bad key"}
		}, []string{
			`spec.drivers[0]: Duplicate value: "zone"`,
			"spec.drivers[0]: Required value",
			`spec.drivers[0]: Invalid value: "": name part must be non-empty`,
			`spec.drivers[0]: Invalid value: "": ` + qualifiedMsg,
			`spec.drivers[0]: Invalid value: "bad key": ` + qualifiedMsg,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := csiNode()
			tt.mutate(n)
			expectErrors(t, csiNodeStrategy{}.Validate(context.Background(), n), tt.want...)
		})
	}
}

// TestCSINodeValidateUpdate: drivers may be added and removed, but an
// entry of the same name does not change; spec errors are reported twice,
// as upstream's strategy validates the object twice.
func TestCSINodeValidateUpdate(t *testing.T) {
	ctx := context.Background()
	old := csiNode()
	added := csiNode()
	added.Spec.Drivers = append(added.Spec.Drivers, storagev1.CSINodeDriver{Name: "hostpath.csi.k8s.io", NodeID: "node-1"})
	expectErrors(t, csiNodeStrategy{}.ValidateUpdate(ctx, added, old))
	removed := csiNode()
	removed.Spec.Drivers = nil
	expectErrors(t, csiNodeStrategy{}.ValidateUpdate(ctx, removed, old))

	changed := csiNode()
	changed.Spec.Drivers[0].Allocatable = nil
	errs := csiNodeStrategy{}.ValidateUpdate(ctx, changed, old)
	if len(errs) != 1 || errs[0].Field != "CSINodeDriver" || errs[0].Detail != "field is immutable" || errs[0].Type != "FieldValueInvalid" {
		t.Fatalf("changed driver: %v", errs)
	}

	bad := csiNode()
	bad.Spec.Drivers[0].NodeID = ""
	expectErrors(t, csiNodeStrategy{}.ValidateUpdate(ctx, bad, bad.DeepCopy()),
		"spec.drivers[0].nodeID: Required value", "spec.drivers[0].nodeID: Required value")
}

func TestCSINodeTable(t *testing.T) {
	a := csiNode()
	a.CreationTimestamp = created
	b := &storagev1.CSINode{ObjectMeta: metav1.ObjectMeta{Name: "node-2", CreationTimestamp: created}}
	tbl, err := csiNodeTable(fixedNow)([]storage.Object{a, b}, true)
	if err != nil {
		t.Fatal(err)
	}
	checkTable(t, tbl, []string{"Name", "Drivers", "Age"},
		[]any{"node-1", int64(1), "3h"},
		[]any{"node-2", int64(0), "3h"})
	if tbl.ColumnDefinitions[1].Type != "integer" {
		t.Errorf("Drivers column type %q", tbl.ColumnDefinitions[1].Type)
	}
}
