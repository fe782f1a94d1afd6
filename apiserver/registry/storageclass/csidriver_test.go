package storageclass

import (
	"context"
	"reflect"
	"testing"

	storagev1 "k8s.io/api/storage/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/registry/registrytest"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

func csiDriver() *storagev1.CSIDriver {
	d := &storagev1.CSIDriver{ObjectMeta: metav1.ObjectMeta{Name: "hostpath.csi.k8s.io"}}
	csiDriverStrategy{}.Default(d)
	return d
}

func TestCSIDriverDefaults(t *testing.T) {
	d := csiDriver()
	want := storagev1.CSIDriverSpec{
		AttachRequired: ptr(true), PodInfoOnMount: ptr(false), StorageCapacity: ptr(false),
		FSGroupPolicy:        ptr(storagev1.ReadWriteOnceWithFSTypeFSGroupPolicy),
		VolumeLifecycleModes: []storagev1.VolumeLifecycleMode{storagev1.VolumeLifecyclePersistent},
		RequiresRepublish:    ptr(false), SELinuxMount: ptr(false),
	}
	if !reflect.DeepEqual(d.Spec, want) {
		t.Fatalf("defaults\n got  %+v\n want %+v", d.Spec, want)
	}
	set := &storagev1.CSIDriver{Spec: storagev1.CSIDriverSpec{
		AttachRequired: ptr(false), PodInfoOnMount: ptr(true), StorageCapacity: ptr(true),
		FSGroupPolicy:        ptr(storagev1.FileFSGroupPolicy),
		VolumeLifecycleModes: []storagev1.VolumeLifecycleMode{storagev1.VolumeLifecycleEphemeral},
		RequiresRepublish:    ptr(true), SELinuxMount: ptr(true),
	}}
	kept := set.DeepCopy()
	csiDriverStrategy{}.Default(set)
	if !reflect.DeepEqual(set, kept) {
		t.Fatalf("defaults overrode set fields: %+v", set.Spec)
	}
}

func TestCSIDriverValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*storagev1.CSIDriver)
		want   []string
	}{
		{"valid", func(*storagev1.CSIDriver) {}, nil},
		{"ephemeral and token requests", func(d *storagev1.CSIDriver) {
			d.Spec.VolumeLifecycleModes = append(d.Spec.VolumeLifecycleModes, storagev1.VolumeLifecycleEphemeral)
			d.Spec.TokenRequests = []storagev1.TokenRequest{{Audience: ""}, {Audience: "vault", ExpirationSeconds: ptr(int64(600))}}
		}, nil},
		{"unset booleans", func(d *storagev1.CSIDriver) {
			d.Spec.AttachRequired, d.Spec.PodInfoOnMount, d.Spec.StorageCapacity, d.Spec.SELinuxMount = nil, nil, nil, nil
			d.Spec.RequiresRepublish = nil // optional after defaulting
		}, []string{
			"spec.attachedRequired: Required value",
			"spec.podInfoOnMount: Required value",
			"spec.storageCapacity: Required value",
			"spec.seLinuxMount: Required value",
		}},
		{"fs group policy", func(d *storagev1.CSIDriver) { d.Spec.FSGroupPolicy = ptr(storagev1.FSGroupPolicy("Always")) }, []string{
			`spec.fsGroupPolicy: Unsupported value: "Always": supported values: "File", "None", "ReadWriteOnceWithFSType"`}},
		{"lifecycle mode", func(d *storagev1.CSIDriver) {
			d.Spec.VolumeLifecycleModes = []storagev1.VolumeLifecycleMode{"Persistent", "Generic"}
		}, []string{`spec.volumeLifecycleModes: Unsupported value: "Generic": supported values: "Persistent", "Ephemeral"`}},
		{"token requests", func(d *storagev1.CSIDriver) {
			d.Spec.TokenRequests = []storagev1.TokenRequest{
				{Audience: "a", ExpirationSeconds: ptr(int64(599))},
				{Audience: "b", ExpirationSeconds: ptr(int64(1<<32 + 1))},
				{Audience: "a", ExpirationSeconds: ptr(int64(1))},
			}
		}, []string{
			"spec.tokenRequests[0].expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes",
			"spec.tokenRequests[1].expirationSeconds: Invalid value: 4294967297: may not specify a duration larger than 2^32 seconds",
			`spec.tokenRequests[2].audience: Duplicate value: "a"`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := csiDriver()
			tt.mutate(d)
			expectErrors(t, csiDriverStrategy{}.Validate(context.Background(), d), tt.want...)
		})
	}
}

// TestCSIDriverUpdate: attachRequired and volumeLifecycleModes are
// immutable; podInfoOnMount, fsGroupPolicy, tokenRequests,
// requiresRepublish, storageCapacity and seLinuxMount may change (v1.29+),
// and a spec change moves the generation.
func TestCSIDriverUpdate(t *testing.T) {
	ctx := context.Background()
	old := csiDriver()
	d := old.DeepCopy()
	d.Spec.PodInfoOnMount = ptr(true)
	d.Spec.FSGroupPolicy = ptr(storagev1.FileFSGroupPolicy)
	d.Spec.TokenRequests = []storagev1.TokenRequest{{Audience: "vault"}}
	d.Spec.RequiresRepublish = ptr(true)
	d.Spec.StorageCapacity = ptr(true)
	d.Spec.SELinuxMount = ptr(true)
	csiDriverStrategy{}.PrepareForUpdate(ctx, d, old)
	if d.Generation != 1 {
		t.Fatalf("generation %d after a spec change from 0", d.Generation)
	}
	expectErrors(t, csiDriverStrategy{}.ValidateUpdate(ctx, d, old))

	same := d.DeepCopy()
	same.Labels = map[string]string{"a": "b"}
	csiDriverStrategy{}.PrepareForUpdate(ctx, same, d)
	if same.Generation != 1 {
		t.Fatalf("generation %d after a metadata-only change", same.Generation)
	}

	d = old.DeepCopy()
	d.Spec.AttachRequired = ptr(false)
	d.Spec.VolumeLifecycleModes = []storagev1.VolumeLifecycleMode{storagev1.VolumeLifecycleEphemeral}
	d.Spec.FSGroupPolicy = ptr(storagev1.FSGroupPolicy("Sometimes"))
	expectErrors(t, csiDriverStrategy{}.ValidateUpdate(ctx, d, old),
		`spec.fsGroupPolicy: Unsupported value: "Sometimes": supported values: "File", "None", "ReadWriteOnceWithFSType"`,
		"spec.attachedRequired: Invalid value: false: field is immutable",
		`spec.volumeLifecycleModes: Invalid value: []v1.VolumeLifecycleMode{"Ephemeral"}: field is immutable`,
	)
}

func TestCSIDriverTable(t *testing.T) {
	a := csiDriver()
	a.CreationTimestamp = created
	b := &storagev1.CSIDriver{ObjectMeta: metav1.ObjectMeta{Name: "ebs.csi.aws.com", CreationTimestamp: created}, Spec: storagev1.CSIDriverSpec{
		AttachRequired: ptr(false), PodInfoOnMount: ptr(true), StorageCapacity: ptr(true), RequiresRepublish: ptr(true),
		TokenRequests:        []storagev1.TokenRequest{{Audience: "vault"}, {Audience: "gcp"}},
		VolumeLifecycleModes: []storagev1.VolumeLifecycleMode{"Persistent", "Ephemeral"},
	}}
	c := &storagev1.CSIDriver{ObjectMeta: metav1.ObjectMeta{Name: "bare"}, Spec: storagev1.CSIDriverSpec{TokenRequests: []storagev1.TokenRequest{}}}
	tbl, err := csiDriverTable(fixedNow)([]storage.Object{a, b, c}, false)
	if err != nil {
		t.Fatal(err)
	}
	checkTable(t, tbl, []string{"Name", "AttachRequired", "PodInfoOnMount", "StorageCapacity", "TokenRequests", "RequiresRepublish", "Modes", "Age"},
		[]any{"hostpath.csi.k8s.io", true, false, false, "<unset>", false, "Persistent", "3h"},
		[]any{"ebs.csi.aws.com", false, true, true, "vault,gcp", true, "Persistent,Ephemeral", "3h"},
		[]any{"bare", true, false, false, "", false, "<none>", "<unknown>"})
}

// TestCSIDriverGenerationInStore: created at generation 0 as upstream,
// each spec change moves it by one, metadata changes do not.
func TestCSIDriverGenerationInStore(t *testing.T) {
	ctx := context.Background()
	s := registry.NewStore(csiDriverResource(fixedNow), registrytest.NewBackend(), nil)
	out, err := s.Create(ctx, "", csiDriver(), registry.WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if out.GetGeneration() != 0 {
		t.Fatalf("create: generation %d", out.GetGeneration())
	}
	put := func(change func(*storagev1.CSIDriver)) registry.UpdateFunc {
		return func(_ context.Context, cur storage.Object) (storage.Object, error) {
			d := cur.DeepCopyObject().(*storagev1.CSIDriver)
			change(d)
			return d, nil
		}
	}
	for i, step := range []struct {
		change func(*storagev1.CSIDriver)
		gen    int64
	}{
		{func(d *storagev1.CSIDriver) { d.Spec.PodInfoOnMount = ptr(true) }, 1},
		{func(d *storagev1.CSIDriver) { d.Labels = map[string]string{"a": "b"} }, 1},
		{func(d *storagev1.CSIDriver) { d.Spec.RequiresRepublish = ptr(true) }, 2},
	} {
		out, _, err := s.Update(ctx, "", "hostpath.csi.k8s.io", "", put(step.change), registry.WriteOptions{})
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if out.GetGeneration() != step.gen {
			t.Fatalf("step %d: generation %d, want %d (%v)", i, out.GetGeneration(), step.gen, err)
		}
	}
}
