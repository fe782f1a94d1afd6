package storageclass

import (
	storagev1 "k8s.io/api/storage/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	apimachineryvalidation "k8s.io/apimachinery/pkg/api/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// Upstream's bounds on what an attacher reports.
const (
	maxAttachmentMetadataSize = 256 * (1 << 10) // 256 kB
	maxVolumeErrorMessageSize = 1024
)

const exactlyOneSource = "must specify exactly one of inlineVolumeSpec and persistentVolumeName"

// validateVolumeAttachment is upstream's ValidateVolumeAttachment without
// the metadata: the spec and the status.
func validateVolumeAttachment(va *storagev1.VolumeAttachment) field.ErrorList {
	spec := field.NewPath("spec")
	var errs field.ErrorList
	if va.Spec.Attacher == "" {
		errs = append(errs, field.Required(spec.Child("attacher"), ""))
	}
	errs = append(errs, validateAttachmentSource(&va.Spec.Source, spec.Child("source"))...)
	for _, msg := range apimachineryvalidation.NameIsDNSSubdomain(va.Spec.NodeName, false) {
		errs = append(errs, field.Invalid(spec.Child("nodeName"), va.Spec.NodeName, msg))
	}
	return append(errs, validateAttachmentStatus(&va.Status, field.NewPath("status"))...)
}

// validateVolumeAttachmentV1 is upstream's ValidateVolumeAttachmentV1: the
// attacher is a CSI driver name, the volume a valid PersistentVolume name.
func validateVolumeAttachmentV1(va *storagev1.VolumeAttachment) field.ErrorList {
	errs := validateDriverName(va.Spec.Attacher, field.NewPath("spec", "attacher"))
	if pv := va.Spec.Source.PersistentVolumeName; pv != nil {
		for _, msg := range apimachineryvalidation.NameIsDNSSubdomain(*pv, false) {
			errs = append(errs, field.Invalid(field.NewPath("spec", "source", "persistentVolumeName"), *pv, msg))
		}
	}
	return errs
}

// validateVolumeAttachmentUpdate is upstream's strategy: the object is
// validated, then ValidateVolumeAttachmentUpdate validates it again (so
// errors appear twice, as upstream) and refuses any spec change.
func validateVolumeAttachmentUpdate(va, old *storagev1.VolumeAttachment) field.ErrorList {
	errs := validateVolumeAttachment(va)
	errs = append(errs, validateVolumeAttachment(va)...)
	if !apiequality.Semantic.DeepEqual(va.Spec, old.Spec) {
		errs = append(errs, field.Invalid(field.NewPath("spec"), va.Spec, "field is immutable"))
	}
	return errs
}

// validateAttachmentSource: exactly one of a PersistentVolume name (not
// empty) and an inline volume spec.
func validateAttachmentSource(s *storagev1.VolumeAttachmentSource, fldPath *field.Path) field.ErrorList {
	switch {
	case s.InlineVolumeSpec == nil && s.PersistentVolumeName == nil:
		return field.ErrorList{field.Required(fldPath, exactlyOneSource)}
	case s.InlineVolumeSpec != nil && s.PersistentVolumeName != nil:
		return field.ErrorList{field.Forbidden(fldPath, exactlyOneSource)}
	case s.PersistentVolumeName != nil && *s.PersistentVolumeName == "":
		return field.ErrorList{field.Required(fldPath.Child("persistentVolumeName"), "must specify non empty persistentVolumeName")}
	}
	return nil
}

// validateAttachmentStatus: the metadata stays under 256 kB and error
// messages under 1024 bytes (upstream reports the latter with the 256 kB
// figure).
func validateAttachmentStatus(st *storagev1.VolumeAttachmentStatus, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	var size int
	for k, v := range st.AttachmentMetadata {
		size += len(k) + len(v)
	}
	if size > maxAttachmentMetadataSize {
		errs = append(errs, field.TooLong(fldPath.Child("attachmentMetadata"), "", maxAttachmentMetadataSize))
	}
	for _, e := range []struct {
		name string
		err  *storagev1.VolumeError
	}{{"attachError", st.AttachError}, {"detachError", st.DetachError}} {
		if e.err != nil && len(e.err.Message) > maxVolumeErrorMessageSize {
			errs = append(errs, field.TooLong(fldPath.Child(e.name, "message"), "", maxAttachmentMetadataSize))
		}
	}
	return errs
}
