package pod

import (
	"reflect"

	corev1 "k8s.io/api/core/v1"
)

// defaultVolume gives a volume without a source an emptyDir, and each
// source its defaults.
func defaultVolume(v *corev1.Volume) {
	src := &v.VolumeSource
	if !hasVolumeSource(src) {
		src.EmptyDir = &corev1.EmptyDirVolumeSource{}
	}
	if s := src.HostPath; s != nil && s.Type == nil {
		unset := corev1.HostPathUnset
		s.Type = &unset
	}
	if s := src.Secret; s != nil && s.DefaultMode == nil {
		s.DefaultMode = mode(corev1.SecretVolumeSourceDefaultMode)
	}
	if s := src.ConfigMap; s != nil && s.DefaultMode == nil {
		s.DefaultMode = mode(corev1.ConfigMapVolumeSourceDefaultMode)
	}
	if s := src.DownwardAPI; s != nil {
		if s.DefaultMode == nil {
			s.DefaultMode = mode(corev1.DownwardAPIVolumeSourceDefaultMode)
		}
		for i := range s.Items {
			defaultFieldRef(s.Items[i].FieldRef)
		}
	}
	if s := src.Projected; s != nil {
		defaultProjected(s)
	}
	if s := src.ISCSI; s != nil && s.ISCSIInterface == "" {
		s.ISCSIInterface = "default"
	}
	if s := src.RBD; s != nil {
		defaultString(&s.RBDPool, "rbd")
		defaultString(&s.RadosUser, "admin")
		defaultString(&s.Keyring, "/etc/ceph/keyring")
	}
	if s := src.AzureDisk; s != nil {
		defaultAzureDisk(s)
	}
	if s := src.ScaleIO; s != nil {
		defaultString((*string)(&s.StorageMode), "ThinProvisioned")
		defaultString(&s.FSType, "xfs")
	}
	if s := src.Ephemeral; s != nil && s.VolumeClaimTemplate != nil {
		spec := &s.VolumeClaimTemplate.Spec
		if spec.VolumeMode == nil {
			fs := corev1.PersistentVolumeFilesystem
			spec.VolumeMode = &fs
		}
		roundUpResources(spec.Resources.Limits)
		roundUpResources(spec.Resources.Requests)
	}
}

func defaultProjected(s *corev1.ProjectedVolumeSource) {
	if s.DefaultMode == nil {
		s.DefaultMode = mode(corev1.ProjectedVolumeSourceDefaultMode)
	}
	for i := range s.Sources {
		src := &s.Sources[i]
		if src.DownwardAPI != nil {
			for j := range src.DownwardAPI.Items {
				defaultFieldRef(src.DownwardAPI.Items[j].FieldRef)
			}
		}
		if t := src.ServiceAccountToken; t != nil && t.ExpirationSeconds == nil {
			hour := int64(3600)
			t.ExpirationSeconds = &hour
		}
	}
}

func defaultAzureDisk(s *corev1.AzureDiskVolumeSource) {
	if s.CachingMode == nil {
		m := corev1.AzureDataDiskCachingReadWrite
		s.CachingMode = &m
	}
	if s.Kind == nil {
		k := corev1.AzureSharedBlobDisk
		s.Kind = &k
	}
	if s.FSType == nil {
		fs := "ext4"
		s.FSType = &fs
	}
	if s.ReadOnly == nil {
		ro := false
		s.ReadOnly = &ro
	}
}

func defaultString(s *string, def string) {
	if *s == "" {
		*s = def
	}
}

func mode(m int32) *int32 { return &m }

// hasVolumeSource says whether any source of v is set.
func hasVolumeSource(v *corev1.VolumeSource) bool {
	rv := reflect.ValueOf(v).Elem()
	for i := 0; i < rv.NumField(); i++ {
		if f := rv.Field(i); f.Kind() == reflect.Pointer && !f.IsNil() {
			return true
		}
	}
	return false
}
