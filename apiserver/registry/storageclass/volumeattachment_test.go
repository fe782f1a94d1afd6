package storageclass

import (
	"context"
	"reflect"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	storagev1 "k8s.io/api/storage/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/registry/registrytest"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

func attachment() *storagev1.VolumeAttachment {
	return &storagev1.VolumeAttachment{
		ObjectMeta: metav1.ObjectMeta{Name: "csi-0123abcd"},
		Spec: storagev1.VolumeAttachmentSpec{
			Attacher: "hostpath.csi.k8s.io",
			Source:   storagev1.VolumeAttachmentSource{PersistentVolumeName: ptr("pvc-1")},
			NodeName: "node-1",
		},
	}
}

func TestVolumeAttachmentDefaults(t *testing.T) {
	va := attachment()
	va.Spec.Source = storagev1.VolumeAttachmentSource{InlineVolumeSpec: &corev1.PersistentVolumeSpec{}}
	volumeAttachmentStrategy{}.Default(va)
	if m := va.Spec.Source.InlineVolumeSpec.VolumeMode; m == nil || *m != corev1.PersistentVolumeFilesystem {
		t.Fatalf("inline volumeMode %v", m)
	}
	if va.Spec.Source.InlineVolumeSpec.PersistentVolumeReclaimPolicy != "" {
		t.Fatal("the reclaim policy is the PersistentVolume's default, not the spec's")
	}
	block := attachment()
	volumeAttachmentStrategy{}.Default(block)
	if !reflect.DeepEqual(block, attachment()) {
		t.Fatalf("defaults changed a PV attachment: %+v", block.Spec)
	}
}

func TestVolumeAttachmentValidate(t *testing.T) {
	long := strings.Repeat("a", 64)
	tests := []struct {
		name   string
		mutate func(*storagev1.VolumeAttachment)
		want   []string
	}{
		{"valid", func(*storagev1.VolumeAttachment) {}, nil},
		{"inline", func(va *storagev1.VolumeAttachment) {
			va.Spec.Source = storagev1.VolumeAttachmentSource{InlineVolumeSpec: &corev1.PersistentVolumeSpec{}}
		}, nil},
		{"no attacher", func(va *storagev1.VolumeAttachment) { va.Spec.Attacher = "" }, []string{
			"spec.attacher: Required value",
			"spec.attacher: Required value",
			`spec.attacher: Invalid value: "": ` + dnsSubdomainMsg,
		}},
		{"attacher too long", func(va *storagev1.VolumeAttachment) { va.Spec.Attacher = long }, []string{
			"spec.attacher: Too long: must have at most 63 bytes"}},
		{"no source", func(va *storagev1.VolumeAttachment) { va.Spec.Source = storagev1.VolumeAttachmentSource{} }, []string{
			"spec.source: Required value: must specify exactly one of inlineVolumeSpec and persistentVolumeName"}},
		{"two sources", func(va *storagev1.VolumeAttachment) {
			va.Spec.Source.InlineVolumeSpec = &corev1.PersistentVolumeSpec{}
		}, []string{"spec.source: Forbidden: must specify exactly one of inlineVolumeSpec and persistentVolumeName"}},
		{"empty volume name", func(va *storagev1.VolumeAttachment) { va.Spec.Source.PersistentVolumeName = ptr("") }, []string{
			"spec.source.persistentVolumeName: Required value: must specify non empty persistentVolumeName",
			`spec.source.persistentVolumeName: Invalid value: "": ` + dnsSubdomainMsg,
		}},
		{"bad volume name", func(va *storagev1.VolumeAttachment) { va.Spec.Source.PersistentVolumeName = ptr("PV_1") }, []string{
			`spec.source.persistentVolumeName: Invalid value: "PV_1": ` + dnsSubdomainMsg}},
		{"no node", func(va *storagev1.VolumeAttachment) { va.Spec.NodeName = "" }, []string{
			`spec.nodeName: Invalid value: "": ` + dnsSubdomainMsg}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			va := attachment()
			tt.mutate(va)
			expectErrors(t, volumeAttachmentStrategy{}.Validate(context.Background(), va), tt.want...)
		})
	}
}

// TestVolumeAttachmentUpdate: the spec is immutable through both the main
// resource and /status; errors are reported twice, as upstream's
// strategy validates the object twice.
func TestVolumeAttachmentUpdate(t *testing.T) {
	ctx := context.Background()
	old := attachment()
	va := old.DeepCopy()
	va.Labels = map[string]string{"a": "b"}
	expectErrors(t, volumeAttachmentStrategy{}.ValidateUpdate(ctx, va, old))

	va = old.DeepCopy()
	va.Spec.NodeName = ""
	errs := volumeAttachmentStrategy{}.ValidateUpdate(ctx, va, old)
	want := []string{`spec.nodeName: Invalid value: "": ` + dnsSubdomainMsg, `spec.nodeName: Invalid value: "": ` + dnsSubdomainMsg}
	got := errorStrings(errs)
	if len(got) != 3 || !reflect.DeepEqual(got[:2], want) || errs[2].Field != "spec" || errs[2].Detail != "field is immutable" {
		t.Fatalf("errors %q", got)
	}

	st := old.DeepCopy()
	st.Status.AttachmentMetadata = map[string]string{"k": strings.Repeat("v", 256<<10)}
	st.Status.AttachError = &storagev1.VolumeError{Message: strings.Repeat("e", 1025)}
	st.Status.DetachError = &storagev1.VolumeError{Message: "ok"}
	expectErrors(t, volumeAttachmentStatusStrategy{}.ValidateUpdate(ctx, st, old),
		"status.attachmentMetadata: Too long: must have at most 262144 bytes",
		"status.attachError.message: Too long: must have at most 262144 bytes",
		"status.attachmentMetadata: Too long: must have at most 262144 bytes",
		"status.attachError.message: Too long: must have at most 262144 bytes",
	)
}

// TestVolumeAttachmentStatusSplit runs the store: the status is cleared on
// create and kept by updates of the main resource; /status changes only
// the status, keeping the spec and the metadata it may not touch.
func TestVolumeAttachmentStatusSplit(t *testing.T) {
	ctx := context.Background()
	s := registry.NewStore(volumeAttachmentResource(fixedNow), registrytest.NewBackend(), nil)
	va := attachment()
	va.Status.Attached = true
	out, err := s.Create(ctx, "", va, registry.WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := out.(*storagev1.VolumeAttachment); got.Status.Attached || got.Generation != 0 {
		t.Fatalf("create: status %+v generation %d", got.Status, got.Generation)
	}
	put := func(change func(*storagev1.VolumeAttachment)) registry.UpdateFunc {
		return func(_ context.Context, cur storage.Object) (storage.Object, error) {
			obj := cur.DeepCopyObject().(*storagev1.VolumeAttachment)
			change(obj)
			return obj, nil
		}
	}
	out, _, err = s.Update(ctx, "", va.Name, "", put(func(v *storagev1.VolumeAttachment) {
		v.Labels = map[string]string{"app": "db"}
		v.Status.Attached = true
	}), registry.WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := out.(*storagev1.VolumeAttachment); got.Status.Attached || got.Labels["app"] != "db" {
		t.Fatalf("main update: status %+v labels %v", got.Status, got.Labels)
	}
	_, _, err = s.Update(ctx, "", va.Name, "", put(func(v *storagev1.VolumeAttachment) { v.Spec.NodeName = "node-2" }), registry.WriteOptions{})
	if !apierrors.IsInvalid(err) {
		t.Fatalf("spec change through the main resource: %v", err)
	}
	out, _, err = s.Update(ctx, "", va.Name, "status", put(func(v *storagev1.VolumeAttachment) {
		v.Spec.NodeName = "node-2"
		v.Labels = map[string]string{"app": "web"}
		v.Finalizers = []string{"external-attacher/hostpath-csi-k8s-io"}
		v.Status = storagev1.VolumeAttachmentStatus{Attached: true, AttachmentMetadata: map[string]string{"dev": "/dev/sdb"}}
	}), registry.WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := out.(*storagev1.VolumeAttachment)
	if !got.Status.Attached || got.Status.AttachmentMetadata["dev"] != "/dev/sdb" || got.Spec.NodeName != "node-1" ||
		got.Labels["app"] != "db" || len(got.Finalizers) != 0 {
		t.Fatalf("status update: %+v", got)
	}
	deleted, err := s.Delete(ctx, "", va.Name, &metav1.DeleteOptions{}, registry.WriteOptions{})
	if _, ok := deleted.(*storagev1.VolumeAttachment); err != nil || !ok {
		t.Fatalf("delete answers %T, %v; want the attachment", deleted, err)
	}
}

func TestVolumeAttachmentTable(t *testing.T) {
	a := attachment()
	a.CreationTimestamp = created
	a.Status.Attached = true
	b := attachment()
	b.Name = "csi-inline"
	b.Spec.Source = storagev1.VolumeAttachmentSource{InlineVolumeSpec: &corev1.PersistentVolumeSpec{}}
	tbl, err := volumeAttachmentTable(fixedNow)([]storage.Object{a, b}, true)
	if err != nil {
		t.Fatal(err)
	}
	checkTable(t, tbl, []string{"Name", "Attacher", "PV", "Node", "Attached", "Age"},
		[]any{"csi-0123abcd", "hostpath.csi.k8s.io", "pvc-1", "node-1", true, "3h"},
		[]any{"csi-inline", "hostpath.csi.k8s.io", "", "node-1", false, "<unknown>"})
}
