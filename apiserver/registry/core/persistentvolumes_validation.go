package core

import (
	"path"

	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	apimachineryvalidation "k8s.io/apimachinery/pkg/api/validation"
	"k8s.io/apimachinery/pkg/util/sets"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

var (
	accessModes     = sets.New(corev1.ReadWriteOnce, corev1.ReadOnlyMany, corev1.ReadWriteMany, corev1.ReadWriteOncePod)
	reclaimPolicies = sets.New(corev1.PersistentVolumeReclaimDelete, corev1.PersistentVolumeReclaimRecycle, corev1.PersistentVolumeReclaimRetain)
	volumeModes     = sets.New(corev1.PersistentVolumeBlock, corev1.PersistentVolumeFilesystem)
)

// pvOptions are what an old volume lets a new one keep.
type pvOptions struct {
	// volumeAttributesClass: the class is validated when the old volume
	// had one (the feature is off by default in v1.31).
	volumeAttributesClass bool
	// invalidLabelValues in node affinity stay tolerated.
	invalidLabelValues bool
}

func pvValidationOptions(old *corev1.PersistentVolume) pvOptions {
	var o pvOptions
	if old == nil {
		return o
	}
	o.volumeAttributesClass = old.Spec.VolumeAttributesClassName != nil
	if a := old.Spec.NodeAffinity; a != nil && a.Required != nil {
		o.invalidLabelValues = hasInvalidLabelValue(a.Required.NodeSelectorTerms)
	}
	return o
}

// defaultPVSource applies the defaults of the volume sources a persistent
// volume may use.
func defaultPVSource(s *corev1.PersistentVolumeSource) {
	if s.HostPath != nil && s.HostPath.Type == nil {
		t := corev1.HostPathUnset
		s.HostPath.Type = &t
	}
	if s.ISCSI != nil && s.ISCSI.ISCSIInterface == "" {
		s.ISCSI.ISCSIInterface = "default"
	}
	if r := s.RBD; r != nil {
		setIfEmpty(&r.RBDPool, "rbd")
		setIfEmpty(&r.RadosUser, "admin")
		setIfEmpty(&r.Keyring, "/etc/ceph/keyring")
	}
	if a := s.AzureDisk; a != nil {
		if a.CachingMode == nil {
			m := corev1.AzureDataDiskCachingReadWrite
			a.CachingMode = &m
		}
		if a.Kind == nil {
			k := corev1.AzureSharedBlobDisk
			a.Kind = &k
		}
		if a.FSType == nil {
			fs := "ext4"
			a.FSType = &fs
		}
		if a.ReadOnly == nil {
			ro := false
			a.ReadOnly = &ro
		}
	}
	if sio := s.ScaleIO; sio != nil {
		setIfEmpty(&sio.StorageMode, "ThinProvisioned")
		setIfEmpty(&sio.FSType, "xfs")
	}
}

func setIfEmpty(s *string, v string) {
	if *s == "" {
		*s = v
	}
}

// validateAccessModes: at least one, known, ReadWriteOncePod alone.
func validateAccessModes(modes []corev1.PersistentVolumeAccessMode, fldPath *field.Path, requiredDetail string) field.ErrorList {
	var errs field.ErrorList
	if len(modes) == 0 {
		errs = append(errs, field.Required(fldPath, requiredDetail))
	}
	rwop, other := false, false
	for _, m := range modes {
		switch {
		case !accessModes.Has(m):
			errs = append(errs, field.NotSupported(fldPath, m, sets.List(accessModes)))
		case m == corev1.ReadWriteOncePod:
			rwop = true
		default:
			other = true
		}
	}
	if rwop && other {
		errs = append(errs, field.Forbidden(fldPath, "may not use ReadWriteOncePod with other access modes"))
	}
	return errs
}

func validatePV(pv *corev1.PersistentVolume, opts pvOptions) field.ErrorList {
	spec := &pv.Spec
	p := field.NewPath("spec")
	errs := validateAccessModes(spec.AccessModes, p.Child("accessModes"), "")
	capPath := p.Child("capacity")
	if len(spec.Capacity) == 0 {
		errs = append(errs, field.Required(capPath, ""))
	}
	if _, ok := spec.Capacity[corev1.ResourceStorage]; !ok || len(spec.Capacity) > 1 {
		errs = append(errs, field.NotSupported(capPath, spec.Capacity, []corev1.ResourceName{corev1.ResourceStorage}))
	}
	for r, q := range spec.Capacity {
		errs = append(errs, validateBasicResource(q, capPath.Key(string(r)))...)
		errs = append(errs, validatePositiveQuantity(q, capPath.Key(string(r)))...)
	}
	if policy := spec.PersistentVolumeReclaimPolicy; policy != "" && !reclaimPolicies.Has(policy) {
		errs = append(errs, field.NotSupported(p.Child("persistentVolumeReclaimPolicy"), policy, sets.List(reclaimPolicies)))
	}
	if spec.NodeAffinity != nil {
		errs = append(errs, validateVolumeNodeAffinity(spec.NodeAffinity, opts.invalidLabelValues, p.Child("nodeAffinity"))...)
	}
	errs = append(errs, validatePVSources(spec, pv.Name, spec.NodeAffinity != nil, p)...)
	if spec.HostPath != nil && path.Clean(spec.HostPath.Path) == "/" && spec.PersistentVolumeReclaimPolicy == corev1.PersistentVolumeReclaimRecycle {
		errs = append(errs, field.Forbidden(p.Child("persistentVolumeReclaimPolicy"), "may not be 'recycle' for a hostPath mount of '/'"))
	}
	if spec.StorageClassName != "" {
		for _, msg := range apimachineryvalidation.NameIsDNSSubdomain(spec.StorageClassName, false) {
			errs = append(errs, field.Invalid(p.Child("storageClassName"), spec.StorageClassName, msg))
		}
	}
	if spec.VolumeMode != nil && !volumeModes.Has(*spec.VolumeMode) {
		errs = append(errs, field.NotSupported(p.Child("volumeMode"), *spec.VolumeMode, sets.List(volumeModes)))
	}
	if vac := spec.VolumeAttributesClassName; vac != nil && opts.volumeAttributesClass {
		if *vac == "" {
			errs = append(errs, field.Required(p.Child("volumeAttributesClassName"), "an empty string is disallowed"))
		} else {
			for _, msg := range apimachineryvalidation.NameIsDNSSubdomain(*vac, false) {
				errs = append(errs, field.Invalid(p.Child("volumeAttributesClassName"), *vac, msg))
			}
		}
		if spec.CSI == nil {
			errs = append(errs, field.Required(p.Child("csi"), "has to be specified when using volumeAttributesClassName"))
		}
	}
	return errs
}

// validatePVUpdate: the source, volume mode and a set node affinity never
// change (a CSI controllerExpandSecretRef may be added).
func validatePVUpdate(pv, old *corev1.PersistentVolume, opts pvOptions) field.ErrorList {
	errs := validatePV(pv, opts)
	source := pv.Spec.PersistentVolumeSource
	if old.Spec.CSI != nil && old.Spec.CSI.ControllerExpandSecretRef == nil && source.CSI != nil && source.CSI.ControllerExpandSecretRef != nil {
		csi := *source.CSI
		csi.ControllerExpandSecretRef = nil
		source.CSI = &csi
	}
	if !apiequality.Semantic.DeepEqual(source, old.Spec.PersistentVolumeSource) {
		errs = append(errs, field.Forbidden(field.NewPath("spec", "persistentvolumesource"),
			"spec.persistentvolumesource is immutable after creation\n"+fieldDiff("core.PersistentVolumeSource", old.Spec.PersistentVolumeSource, source)))
	}
	errs = append(errs, apimachineryvalidation.ValidateImmutableField(pv.Spec.VolumeMode, old.Spec.VolumeMode, field.NewPath("volumeMode"))...)
	if old.Spec.NodeAffinity != nil {
		errs = append(errs, apimachineryvalidation.ValidateImmutableField(pv.Spec.NodeAffinity, old.Spec.NodeAffinity, field.NewPath("nodeAffinity"))...)
	}
	errs = append(errs, validateVACUpdate(pv.Spec.VolumeAttributesClassName, old.Spec.VolumeAttributesClassName, opts.volumeAttributesClass, false)...)
	return errs
}

// validateVACUpdate: with the feature off, the class may not change; when
// it was set it may not be unset (nor, for claims, emptied).
func validateVACUpdate(vac, old *string, enabled, claim bool) field.ErrorList {
	if apiequality.Semantic.DeepEqual(vac, old) {
		return nil
	}
	p := field.NewPath("spec", "volumeAttributesClassName")
	errs := field.ErrorList{field.Forbidden(p, "update is forbidden when the VolumeAttributesClass feature gate is disabled")}
	if enabled && old != nil {
		switch {
		case vac == nil:
			errs = append(errs, field.Forbidden(p, "update from non-nil value to nil is forbidden"))
		case claim && *vac == "":
			errs = append(errs, field.Forbidden(p, "update from non-nil value to an empty string is forbidden"))
		}
	}
	return errs
}
