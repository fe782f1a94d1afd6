package storageclass

import (
	"context"
	"testing"

	storagev1 "k8s.io/api/storage/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func capacity() *storagev1.CSIStorageCapacity {
	return &storagev1.CSIStorageCapacity{
		ObjectMeta:       metav1.ObjectMeta{Name: "csisc-abcde", Namespace: "kube-system"},
		NodeTopology:     &metav1.LabelSelector{MatchLabels: map[string]string{"topology.hostpath.csi/node": "node-1"}},
		StorageClassName: "local-path",
		Capacity:         ptr(resource.MustParse("10Gi")),
	}
}

func TestCSIStorageCapacityValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*storagev1.CSIStorageCapacity)
		want   []string
	}{
		{"valid", func(*storagev1.CSIStorageCapacity) {}, nil},
		{"no topology, no capacity", func(c *storagev1.CSIStorageCapacity) { c.NodeTopology, c.Capacity = nil, nil }, nil},
		{"zero capacity", func(c *storagev1.CSIStorageCapacity) { c.Capacity = ptr(resource.MustParse("0")) }, nil},
		{"negative capacity", func(c *storagev1.CSIStorageCapacity) { c.Capacity = ptr(resource.MustParse("-1Gi")) }, []string{
			`capacity: Invalid value: "-1Gi": must be greater than or equal to 0`}},
		{"no class", func(c *storagev1.CSIStorageCapacity) { c.StorageClassName = "" }, []string{
			`storageClassName: Invalid value: "": ` + dnsSubdomainMsg}},
		{"bad class", func(c *storagev1.CSIStorageCapacity) { c.StorageClassName = "Local_Path" }, []string{
			`storageClassName: Invalid value: "Local_Path": ` + dnsSubdomainMsg}},
		{"bad label value", func(c *storagev1.CSIStorageCapacity) {
			c.NodeTopology.MatchLabels = map[string]string{"zone": "a b"}
		}, []string{
			`nodeTopology.matchLabels: Invalid value: "a b": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`}},
		{"bad operator", func(c *storagev1.CSIStorageCapacity) {
			c.NodeTopology.MatchExpressions = []metav1.LabelSelectorRequirement{{Key: "zone", Operator: "Near"}}
		}, []string{`nodeTopology.matchExpressions[0].operator: Invalid value: "Near": not a valid selector operator`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := capacity()
			tt.mutate(c)
			expectErrors(t, csiStorageCapacityStrategy{}.Validate(context.Background(), c), tt.want...)
		})
	}
}

// TestCSIStorageCapacityUpdate: the capacity and maximum volume size may
// change; the topology and class may not; label values the stored
// selector already had are tolerated.
func TestCSIStorageCapacityUpdate(t *testing.T) {
	ctx := context.Background()
	old := capacity()
	c := old.DeepCopy()
	c.Capacity = ptr(resource.MustParse("5Gi"))
	c.MaximumVolumeSize = ptr(resource.MustParse("1Gi"))
	expectErrors(t, csiStorageCapacityStrategy{}.ValidateUpdate(ctx, c, old))

	c = old.DeepCopy()
	c.StorageClassName = "fast"
	c.NodeTopology = nil
	expectErrors(t, csiStorageCapacityStrategy{}.ValidateUpdate(ctx, c, old),
		`nodeTopology: Invalid value: "null": field is immutable`,
		`storageClassName: Invalid value: "fast": field is immutable`)

	legacy := capacity()
	legacy.NodeTopology.MatchExpressions = []metav1.LabelSelectorRequirement{{Key: "zone", Operator: metav1.LabelSelectorOpIn, Values: []string{"a b"}}}
	c = legacy.DeepCopy()
	c.Capacity = ptr(resource.MustParse("1Gi"))
	expectErrors(t, csiStorageCapacityStrategy{}.ValidateUpdate(ctx, c, legacy))
	if errs := (csiStorageCapacityStrategy{}).Validate(ctx, c); len(errs) != 1 {
		t.Fatalf("create must refuse the invalid label value: %v", errs)
	}
}
