package pod

import (
	"net"
	"path"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/registry/validname"
)

// volumeSourceCheck is one source kind of a volume: its JSON name, whether
// it is set, and its own rules.
type volumeSourceCheck struct {
	name  string
	set   bool
	check func() field.ErrorList
}

// validateVolumeSource checks that exactly one source is set, and that
// source. Paths and wording follow upstream, including its slips (the
// "downwarAPI" and "persistentDisk" paths).
func validateVolumeSource(s *corev1.VolumeSource, p *field.Path, volName string, meta *metav1.ObjectMeta, opts options) field.ErrorList {
	var errs field.ErrorList
	sources := []volumeSourceCheck{
		{"emptyDir", s.EmptyDir != nil, func() field.ErrorList {
			if l := s.EmptyDir.SizeLimit; l != nil && l.Cmp(resource.Quantity{}) < 0 {
				return field.ErrorList{field.Forbidden(p.Child("emptyDir", "sizeLimit"), "SizeLimit field must be a valid resource quantity")}
			}
			return nil
		}},
		{"hostPath", s.HostPath != nil, func() field.ErrorList { return ValidateHostPathVolumeSource(s.HostPath, p.Child("hostPath")) }},
		{"gitRepo", s.GitRepo != nil, func() field.ErrorList {
			e := required(s.GitRepo.Repository, p.Child("gitRepo", "repository"))
			return append(e, validateLocalDescendingPath(s.GitRepo.Directory, p.Child("gitRepo", "directory"))...)
		}},
		{"gcePersistentDisk", s.GCEPersistentDisk != nil, func() field.ErrorList {
			return validateDisk(s.GCEPersistentDisk.PDName, "pdName", s.GCEPersistentDisk.Partition, p.Child("persistentDisk"))
		}},
		{"awsElasticBlockStore", s.AWSElasticBlockStore != nil, func() field.ErrorList {
			return validateDisk(s.AWSElasticBlockStore.VolumeID, "volumeID", s.AWSElasticBlockStore.Partition, p.Child("awsElasticBlockStore"))
		}},
		{"secret", s.Secret != nil, func() field.ErrorList {
			return validateItemsSource(s.Secret.SecretName, "secretName", s.Secret.DefaultMode, s.Secret.Items, p.Child("secret"))
		}},
		{"nfs", s.NFS != nil, func() field.ErrorList { return ValidateNFSVolumeSource(s.NFS, p.Child("nfs")) }},
		{"iscsi", s.ISCSI != nil, func() field.ErrorList { return validateISCSI(s.ISCSI, volName, p) }},
		{"glusterfs", s.Glusterfs != nil, func() field.ErrorList {
			return append(required(s.Glusterfs.EndpointsName, p.Child("glusterfs", "endpoints")), required(s.Glusterfs.Path, p.Child("glusterfs", "path"))...)
		}},
		{"flocker", s.Flocker != nil, func() field.ErrorList { return ValidateFlockerVolumeSource(s.Flocker, p.Child("flocker")) }},
		{"persistentVolumeClaim", s.PersistentVolumeClaim != nil, func() field.ErrorList {
			return required(s.PersistentVolumeClaim.ClaimName, p.Child("persistentVolumeClaim", "claimName"))
		}},
		{"rbd", s.RBD != nil, func() field.ErrorList {
			e := requiredList(len(s.RBD.CephMonitors), p.Child("rbd", "monitors"))
			return append(e, required(s.RBD.RBDImage, p.Child("rbd", "image"))...)
		}},
		{"cinder", s.Cinder != nil, func() field.ErrorList {
			e := required(s.Cinder.VolumeID, p.Child("cinder", "volumeID"))
			if s.Cinder.SecretRef != nil {
				e = append(e, required(s.Cinder.SecretRef.Name, p.Child("cinder", "secretRef", "name"))...)
			}
			return e
		}},
		{"cephFS", s.CephFS != nil, func() field.ErrorList { return requiredList(len(s.CephFS.Monitors), p.Child("cephfs", "monitors")) }},
		{"quobyte", s.Quobyte != nil, func() field.ErrorList { return ValidateQuobyteVolumeSource(s.Quobyte, p.Child("quobyte")) }},
		{"downwarAPI", s.DownwardAPI != nil, func() field.ErrorList {
			e := validateMode(s.DownwardAPI.DefaultMode, p.Child("downwardAPI", "defaultMode"))
			for _, f := range s.DownwardAPI.Items {
				e = append(e, validateDownwardAPIFile(f, p.Child("downwardAPI"))...)
			}
			return e
		}},
		{"fc", s.FC != nil, func() field.ErrorList { return ValidateFCVolumeSource(s.FC, p.Child("fc")) }},
		{"flexVolume", s.FlexVolume != nil, func() field.ErrorList { return validateFlex(s.FlexVolume, p.Child("flexVolume")) }},
		{"configMap", s.ConfigMap != nil, func() field.ErrorList {
			return validateItemsSource(s.ConfigMap.Name, "name", s.ConfigMap.DefaultMode, s.ConfigMap.Items, p.Child("configMap"))
		}},
		{"azureFile", s.AzureFile != nil, func() field.ErrorList {
			return append(required(s.AzureFile.SecretName, p.Child("azureFile", "secretName")), required(s.AzureFile.ShareName, p.Child("azureFile", "shareName"))...)
		}},
		{"vsphereVolume", s.VsphereVolume != nil, func() field.ErrorList {
			return required(s.VsphereVolume.VolumePath, p.Child("vsphereVolume", "volumePath"))
		}},
		{"photonPersistentDisk", s.PhotonPersistentDisk != nil, func() field.ErrorList {
			return required(s.PhotonPersistentDisk.PdID, p.Child("photonPersistentDisk", "pdID"))
		}},
		{"portworxVolume", s.PortworxVolume != nil, func() field.ErrorList {
			return required(s.PortworxVolume.VolumeID, p.Child("portworxVolume", "volumeID"))
		}},
		{"azureDisk", s.AzureDisk != nil, func() field.ErrorList { return ValidateAzureDiskVolumeSource(s.AzureDisk, p.Child("azureDisk")) }},
		{"storageos", s.StorageOS != nil, func() field.ErrorList { return validateStorageOS(s.StorageOS, p.Child("storageos")) }},
		{"projected", s.Projected != nil, func() field.ErrorList { return validateProjected(s.Projected, p.Child("projected"), opts) }},
		{"scaleIO", s.ScaleIO != nil, func() field.ErrorList {
			e := required(s.ScaleIO.Gateway, p.Child("scaleIO", "gateway"))
			e = append(e, required(s.ScaleIO.System, p.Child("scaleIO", "system"))...)
			return append(e, required(s.ScaleIO.VolumeName, p.Child("scaleIO", "volumeName"))...)
		}},
		{"csi", s.CSI != nil, func() field.ErrorList { return validateCSI(s.CSI, p.Child("csi")) }},
		{"ephemeral", s.Ephemeral != nil, func() field.ErrorList {
			e := validateEphemeralSource(s.Ephemeral, p.Child("ephemeral"))
			return append(e, validateEphemeralClaimName(meta, volName, p)...)
		}},
		{"image", s.Image != nil, func() field.ErrorList { return validateImageSource(s.Image, p.Child("image"), opts) }},
	}
	n := 0
	for _, src := range sources {
		if !src.set {
			continue
		}
		if n > 0 {
			errs = append(errs, field.Forbidden(p.Child(src.name), "may not specify more than 1 volume type"))
			continue
		}
		n++
		errs = append(errs, src.check()...)
	}
	if n == 0 {
		errs = append(errs, field.Required(p, "must specify a volume type"))
	}
	return errs
}

func required(v string, p *field.Path) field.ErrorList {
	if v == "" {
		return field.ErrorList{field.Required(p, "")}
	}
	return nil
}

func requiredList(n int, p *field.Path) field.ErrorList {
	if n == 0 {
		return field.ErrorList{field.Required(p, "")}
	}
	return nil
}

var supportedHostPathTypes = []corev1.HostPathType{corev1.HostPathUnset, corev1.HostPathBlockDev, corev1.HostPathCharDev,
	corev1.HostPathDirectory, corev1.HostPathDirectoryOrCreate, corev1.HostPathFile, corev1.HostPathFileOrCreate, corev1.HostPathSocket}

// ValidateHostPathVolumeSource validates the HostPath source of a pod volume or a PersistentVolume.
func ValidateHostPathVolumeSource(h *corev1.HostPathVolumeSource, p *field.Path) field.ErrorList {
	if h.Path == "" {
		return field.ErrorList{field.Required(p.Child("path"), "")}
	}
	errs := validatePathNoBacksteps(h.Path, p.Child("path"))
	if h.Type != nil {
		ok := false
		for _, t := range supportedHostPathTypes {
			ok = ok || t == *h.Type
		}
		if !ok {
			errs = append(errs, field.NotSupported(p.Child("type"), h.Type, supportedHostPathTypes))
		}
	}
	return errs
}

func validateDisk(id, idField string, partition int32, p *field.Path) field.ErrorList {
	errs := required(id, p.Child(idField))
	if partition < 0 || partition > 255 {
		errs = append(errs, field.Invalid(p.Child("partition"), partition, validation.InclusiveRangeError(1, 255)))
	}
	return errs
}

// validateItemsSource checks a secret or configMap volume.
func validateItemsSource(name, nameField string, defaultMode *int32, items []corev1.KeyToPath, p *field.Path) field.ErrorList {
	errs := required(name, p.Child(nameField))
	errs = append(errs, validateMode(defaultMode, p.Child("defaultMode"))...)
	for i, kp := range items {
		errs = append(errs, validateKeyToPath(kp, p.Child("items").Index(i))...)
	}
	return errs
}

// ValidateNFSVolumeSource validates the NFS source of a pod volume or a PersistentVolume.
func ValidateNFSVolumeSource(n *corev1.NFSVolumeSource, p *field.Path) field.ErrorList {
	errs := required(n.Server, p.Child("server"))
	errs = append(errs, required(n.Path, p.Child("path"))...)
	if !path.IsAbs(n.Path) {
		errs = append(errs, field.Invalid(p.Child("path"), n.Path, "must be an absolute path"))
	}
	return errs
}

func validateISCSI(s *corev1.ISCSIVolumeSource, volName string, vp *field.Path) field.ErrorList {
	p := vp.Child("iscsi")
	errs := required(s.TargetPortal, p.Child("targetPortal"))
	errs = append(errs, required(s.IQN, p.Child("iqn"))...)
	if s.IQN != "" && !strings.HasPrefix(s.IQN, "iqn") && !strings.HasPrefix(s.IQN, "eui") && !strings.HasPrefix(s.IQN, "naa") {
		errs = append(errs, field.Invalid(p.Child("iqn"), s.IQN, "must be valid format starting with iqn, eui, or naa"))
	}
	if s.Lun < 0 || s.Lun > 255 {
		errs = append(errs, field.Invalid(p.Child("lun"), s.Lun, validation.InclusiveRangeError(0, 255)))
	}
	if (s.DiscoveryCHAPAuth || s.SessionCHAPAuth) && s.SecretRef == nil {
		errs = append(errs, field.Required(p.Child("secretRef"), ""))
	}
	if s.InitiatorName != nil && len(volName+":"+s.TargetPortal) > 64 {
		errs = append(errs, field.Invalid(vp.Child("name"), volName,
			"Total length of <volume name>:<iscsi.targetPortal> must be under 64 characters if iscsi.initiatorName is specified."))
	}
	return errs
}

// ValidateFlockerVolumeSource validates the Flocker source of a pod volume or a PersistentVolume.
func ValidateFlockerVolumeSource(f *corev1.FlockerVolumeSource, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	if f.DatasetName == "" && f.DatasetUUID == "" {
		errs = append(errs, field.Required(p, "one of datasetName and datasetUUID is required"))
	}
	if f.DatasetName != "" && f.DatasetUUID != "" {
		errs = append(errs, field.Invalid(p, "resource", "datasetName and datasetUUID can not be specified simultaneously"))
	}
	if strings.Contains(f.DatasetName, "/") {
		errs = append(errs, field.Invalid(p.Child("datasetName"), f.DatasetName, "must not contain '/'"))
	}
	return errs
}

// ValidateQuobyteVolumeSource validates the Quobyte source of a pod volume or a PersistentVolume.
func ValidateQuobyteVolumeSource(q *corev1.QuobyteVolumeSource, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	const hostPorts = "must be a host:port pair or multiple pairs separated by commas"
	switch {
	case q.Registry == "":
		errs = append(errs, field.Required(p.Child("registry"), hostPorts))
	case len(q.Tenant) >= 65:
		errs = append(errs, field.Required(p.Child("tenant"), "must be a UUID and may not exceed a length of 64 characters"))
	default:
		for _, hp := range strings.Split(q.Registry, ",") {
			if _, _, err := net.SplitHostPort(hp); err != nil {
				errs = append(errs, field.Invalid(p.Child("registry"), q.Registry, hostPorts))
			}
		}
	}
	return append(errs, required(q.Volume, p.Child("volume"))...)
}

// ValidateFCVolumeSource validates the FC source of a pod volume or a PersistentVolume.
func ValidateFCVolumeSource(fc *corev1.FCVolumeSource, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	if len(fc.TargetWWNs) < 1 && len(fc.WWIDs) < 1 {
		errs = append(errs, field.Required(p.Child("targetWWNs"), "must specify either targetWWNs or wwids, but not both"))
	}
	if len(fc.TargetWWNs) != 0 && len(fc.WWIDs) != 0 {
		errs = append(errs, field.Invalid(p.Child("targetWWNs"), fc.TargetWWNs, "targetWWNs and wwids can not be specified simultaneously"))
	}
	if len(fc.TargetWWNs) != 0 {
		if fc.Lun == nil {
			errs = append(errs, field.Required(p.Child("lun"), "lun is required if targetWWNs is specified"))
		} else if *fc.Lun < 0 || *fc.Lun > 255 {
			errs = append(errs, field.Invalid(p.Child("lun"), fc.Lun, validation.InclusiveRangeError(0, 255)))
		}
	}
	return errs
}

func validateFlex(f *corev1.FlexVolumeSource, p *field.Path) field.ErrorList {
	errs := required(f.Driver, p.Child("driver"))
	for k := range f.Options {
		ns := k
		if before, _, ok := strings.Cut(k, "/"); ok {
			ns = before
		}
		n := "." + strings.ToLower(ns)
		if strings.HasSuffix(n, ".kubernetes.io") || strings.HasSuffix(n, ".k8s.io") {
			errs = append(errs, field.Invalid(p.Child("options").Key(k), k, "kubernetes.io and k8s.io namespaces are reserved"))
		}
	}
	return errs
}

// ValidateAzureDiskVolumeSource validates the AzureDisk source of a pod volume or a PersistentVolume.
func ValidateAzureDiskVolumeSource(a *corev1.AzureDiskVolumeSource, p *field.Path) field.ErrorList {
	errs := required(a.DiskName, p.Child("diskName"))
	errs = append(errs, required(a.DataDiskURI, p.Child("diskURI"))...)
	modes := []corev1.AzureDataDiskCachingMode{corev1.AzureDataDiskCachingNone, corev1.AzureDataDiskCachingReadOnly, corev1.AzureDataDiskCachingReadWrite}
	if a.CachingMode != nil && *a.CachingMode != modes[0] && *a.CachingMode != modes[1] && *a.CachingMode != modes[2] {
		errs = append(errs, field.NotSupported(p.Child("cachingMode"), *a.CachingMode, modes))
	}
	kinds := []corev1.AzureDataDiskKind{corev1.AzureDedicatedBlobDisk, corev1.AzureManagedDisk, corev1.AzureSharedBlobDisk}
	if a.Kind != nil && *a.Kind != kinds[0] && *a.Kind != kinds[1] && *a.Kind != kinds[2] {
		errs = append(errs, field.NotSupported(p.Child("kind"), *a.Kind, kinds))
	}
	if a.Kind != nil && *a.Kind == corev1.AzureManagedDisk && !strings.HasPrefix(a.DataDiskURI, "/subscriptions/") {
		errs = append(errs, field.NotSupported(p.Child("diskURI"), a.DataDiskURI, []string{"/subscriptions/{sub-id}/resourcegroups/{group-name}/providers/microsoft.compute/disks/{disk-id}"}))
	}
	if a.Kind != nil && *a.Kind != corev1.AzureManagedDisk && !strings.HasPrefix(a.DataDiskURI, "https://") {
		errs = append(errs, field.NotSupported(p.Child("diskURI"), a.DataDiskURI, []string{"https://{account-name}.blob.core.windows.net/{container-name}/{disk-name}.vhd"}))
	}
	return errs
}

func validateStorageOS(s *corev1.StorageOSVolumeSource, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	if s.VolumeName == "" {
		errs = append(errs, field.Required(p.Child("volumeName"), ""))
	} else {
		errs = append(errs, validateDNSLabel(s.VolumeName, p.Child("volumeName"))...)
	}
	if s.VolumeNamespace != "" {
		errs = append(errs, validateDNSLabel(s.VolumeNamespace, p.Child("volumeNamespace"))...)
	}
	if s.SecretRef != nil {
		errs = append(errs, required(s.SecretRef.Name, p.Child("secretRef", "name"))...)
	}
	return errs
}

func validateCSI(c *corev1.CSIVolumeSource, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	dp := p.Child("driver")
	if c.Driver == "" {
		errs = append(errs, field.Required(dp, ""))
	}
	if len(c.Driver) > 63 {
		errs = append(errs, field.TooLong(dp, c.Driver, 63))
	}
	for _, msg := range validname.IsDNS1123Subdomain(strings.ToLower(c.Driver)) {
		errs = append(errs, field.Invalid(dp, c.Driver, msg))
	}
	if ref := c.NodePublishSecretRef; ref != nil {
		if ref.Name == "" {
			errs = append(errs, field.Required(p.Child("nodePublishSecretRef", "name"), ""))
		} else {
			for _, msg := range validname.IsDNS1123Subdomain(ref.Name) {
				errs = append(errs, field.Invalid(p.Child("name"), ref.Name, msg))
			}
		}
	}
	return errs
}

func validateImageSource(s *corev1.ImageVolumeSource, p *field.Path, opts options) field.ErrorList {
	var errs field.ErrorList
	if opts.resourceIsPod && s.Reference == "" {
		errs = append(errs, field.Required(p.Child("reference"), ""))
	}
	return append(errs, validatePullPolicy(s.PullPolicy, p, "pullPolicy")...)
}
