package storageclass

import (
	"context"
	"time"

	corev1 "k8s.io/api/core/v1"
	storagev1 "k8s.io/api/storage/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

func volumeAttachmentResource(now func() time.Time) *registry.Resource {
	return &registry.Resource{
		GVR:                 storagev1.SchemeGroupVersion.WithResource("volumeattachments"),
		Kind:                "VolumeAttachment",
		SingularName:        "volumeattachment",
		StoragePrefix:       "volumeattachments",
		New:                 func() storage.Object { return &storagev1.VolumeAttachment{} },
		NewList:             func() runtime.Object { return &storagev1.VolumeAttachmentList{} },
		Strategy:            volumeAttachmentStrategy{},
		Status:              volumeAttachmentStatusStrategy{},
		Table:               volumeAttachmentTable(now),
		ReturnDeletedObject: true,
	}
}

// volumeAttachmentStrategy: the status is the attacher's (set through
// /status only); the spec never changes. Upstream does not track the
// generation of attachments.
type volumeAttachmentStrategy struct{ registry.Plain }

// Default is the generated defaulting of VolumeAttachment: an inline
// volume spec gets upstream's SetDefaults_PersistentVolumeSpec.
func (volumeAttachmentStrategy) Default(obj storage.Object) {
	if s := obj.(*storagev1.VolumeAttachment).Spec.Source.InlineVolumeSpec; s != nil && s.VolumeMode == nil {
		m := corev1.PersistentVolumeFilesystem
		s.VolumeMode = &m
	}
}

// PrepareForCreate clears the status.
func (volumeAttachmentStrategy) PrepareForCreate(_ context.Context, obj storage.Object) {
	obj.(*storagev1.VolumeAttachment).Status = storagev1.VolumeAttachmentStatus{}
}

// Validate is upstream's ValidateVolumeAttachment followed by the checks
// v1 adds for new attachments (attacher and volume names).
func (volumeAttachmentStrategy) Validate(_ context.Context, obj storage.Object) field.ErrorList {
	va := obj.(*storagev1.VolumeAttachment)
	return append(validateVolumeAttachment(va), validateVolumeAttachmentV1(va)...)
}

// PrepareForUpdate keeps the status.
func (volumeAttachmentStrategy) PrepareForUpdate(_ context.Context, obj, old storage.Object) {
	registry.KeepStatus(obj, old)
}

func (volumeAttachmentStrategy) ValidateUpdate(_ context.Context, obj, old storage.Object) field.ErrorList {
	return validateVolumeAttachmentUpdate(obj.(*storagev1.VolumeAttachment), old.(*storagev1.VolumeAttachment))
}

// volumeAttachmentStatusStrategy: only the status changes; the spec and
// the metadata a status write may not touch stay (upstream's
// ResetObjectMetaForStatus).
type volumeAttachmentStatusStrategy struct{}

func (volumeAttachmentStatusStrategy) PrepareForUpdate(_ context.Context, obj, old storage.Object) {
	registry.KeepSpec(obj, old)
	metav1.ResetObjectMetaForStatus(obj, old)
}

// ValidateUpdate is the main resource's, as upstream's status strategy
// inherits it.
func (volumeAttachmentStatusStrategy) ValidateUpdate(_ context.Context, obj, old storage.Object) field.ErrorList {
	return validateVolumeAttachmentUpdate(obj.(*storagev1.VolumeAttachment), old.(*storagev1.VolumeAttachment))
}

var volumeAttachmentColumns = []metav1.TableColumnDefinition{
	registry.NameColumn,
	{Name: "Attacher", Type: "string", Format: "name", Description: storagev1.VolumeAttachmentSpec{}.SwaggerDoc()["attacher"]},
	{Name: "PV", Type: "string", Description: storagev1.VolumeAttachmentSource{}.SwaggerDoc()["persistentVolumeName"]},
	{Name: "Node", Type: "string", Description: storagev1.VolumeAttachmentSpec{}.SwaggerDoc()["nodeName"]},
	{Name: "Attached", Type: "boolean", Description: storagev1.VolumeAttachmentStatus{}.SwaggerDoc()["attached"]},
	registry.AgeColumn,
}

func volumeAttachmentTable(now func() time.Time) registry.TableFunc {
	return registry.Rows(volumeAttachmentColumns, now, volumeAttachmentRow)
}

func volumeAttachmentRow(obj storage.Object, now time.Time) ([]any, error) {
	va := obj.(*storagev1.VolumeAttachment)
	pv := ""
	if va.Spec.Source.PersistentVolumeName != nil {
		pv = *va.Spec.Source.PersistentVolumeName
	}
	return []any{va.Name, va.Spec.Attacher, pv, va.Spec.NodeName, va.Status.Attached, registry.Age(va.CreationTimestamp, now)}, nil
}
