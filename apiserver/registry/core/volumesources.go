package core

import (
	"path/filepath"
	"regexp"
	"strings"

	corev1 "k8s.io/api/core/v1"
	apimachineryvalidation "k8s.io/apimachinery/pkg/api/validation"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/registry/core/pod"
	"github.com/skiff-dev/skiff/apiserver/registry/validname"
)

// The validation of each persistent volume source, as upstream's.

var (
	iscsiIQNRegexp = regexp.MustCompile(`iqn\.\d{4}-\d{2}\.([[:alnum:]-.]+)(:[^,;*&$|\s]+)$`)
	iscsiEUIRegexp = regexp.MustCompile(`^eui.[[:alnum:]]{16}$`)
	iscsiNAARegexp = regexp.MustCompile(`^naa.[[:alnum:]]{32}$`)

	pdPartitionErrorMsg = validation.InclusiveRangeError(1, 255)
)

// pvSource is one kind of volume source a persistent volume may name.
type pvSource struct {
	name     string
	set      bool
	validate func(p *field.Path) field.ErrorList
	// uncounted sources (flexVolume) skip upstream's one-source check.
	uncounted bool
}

// pvSources lists spec's sources in upstream's order of checking.
func pvSources(s *corev1.PersistentVolumeSpec, pvName string) []pvSource {
	return []pvSource{
		{name: "hostPath", set: s.HostPath != nil, validate: func(p *field.Path) field.ErrorList {
			return pod.ValidateHostPathVolumeSource(s.HostPath, p.Child("hostPath"))
		}},
		{name: "gcePersistentDisk", set: s.GCEPersistentDisk != nil, validate: func(p *field.Path) field.ErrorList {
			return validatePartitionedDisk("pdName", s.GCEPersistentDisk.PDName, s.GCEPersistentDisk.Partition, p.Child("persistentDisk"))
		}},
		{name: "awsElasticBlockStore", set: s.AWSElasticBlockStore != nil, validate: func(p *field.Path) field.ErrorList {
			return validatePartitionedDisk("volumeID", s.AWSElasticBlockStore.VolumeID, s.AWSElasticBlockStore.Partition, p.Child("awsElasticBlockStore"))
		}},
		{name: "glusterfs", set: s.Glusterfs != nil, validate: func(p *field.Path) field.ErrorList { return validateGlusterfsSource(s.Glusterfs, p.Child("glusterfs")) }},
		{name: "flocker", set: s.Flocker != nil, validate: func(p *field.Path) field.ErrorList {
			return pod.ValidateFlockerVolumeSource(s.Flocker, p.Child("flocker"))
		}},
		{name: "nfs", set: s.NFS != nil, validate: func(p *field.Path) field.ErrorList { return pod.ValidateNFSVolumeSource(s.NFS, p.Child("nfs")) }},
		{name: "rbd", set: s.RBD != nil, validate: func(p *field.Path) field.ErrorList {
			return requireAll(p.Child("rbd"), nonEmpty("monitors", len(s.RBD.CephMonitors) > 0), nonEmpty("image", s.RBD.RBDImage != ""))
		}},
		{name: "quobyte", set: s.Quobyte != nil, validate: func(p *field.Path) field.ErrorList {
			return pod.ValidateQuobyteVolumeSource(s.Quobyte, p.Child("quobyte"))
		}},
		{name: "cephFS", set: s.CephFS != nil, validate: func(p *field.Path) field.ErrorList {
			return requireAll(p.Child("cephfs"), nonEmpty("monitors", len(s.CephFS.Monitors) > 0))
		}},
		{name: "iscsi", set: s.ISCSI != nil, validate: func(p *field.Path) field.ErrorList { return validateISCSISource(s.ISCSI, pvName, p.Child("iscsi")) }},
		{name: "cinder", set: s.Cinder != nil, validate: func(p *field.Path) field.ErrorList { return validateCinderSource(s.Cinder, p.Child("cinder")) }},
		{name: "fc", set: s.FC != nil, validate: func(p *field.Path) field.ErrorList { return pod.ValidateFCVolumeSource(s.FC, p.Child("fc")) }},
		{name: "flexVolume", set: s.FlexVolume != nil, uncounted: true, validate: func(p *field.Path) field.ErrorList {
			return validateFlexSource(s.FlexVolume.Driver, s.FlexVolume.Options, p.Child("flexVolume"))
		}},
		{name: "azureFile", set: s.AzureFile != nil, validate: func(p *field.Path) field.ErrorList { return validateAzureFileSource(s.AzureFile, p.Child("azureFile")) }},
		{name: "vsphereVolume", set: s.VsphereVolume != nil, validate: func(p *field.Path) field.ErrorList {
			return requireAll(p.Child("vsphereVolume"), nonEmpty("volumePath", s.VsphereVolume.VolumePath != ""))
		}},
		{name: "photonPersistentDisk", set: s.PhotonPersistentDisk != nil, validate: func(p *field.Path) field.ErrorList {
			return requireAll(p.Child("photonPersistentDisk"), nonEmpty("pdID", s.PhotonPersistentDisk.PdID != ""))
		}},
		{name: "portworxVolume", set: s.PortworxVolume != nil, validate: func(p *field.Path) field.ErrorList {
			return requireAll(p.Child("portworxVolume"), nonEmpty("volumeID", s.PortworxVolume.VolumeID != ""))
		}},
		{name: "azureDisk", set: s.AzureDisk != nil, validate: func(p *field.Path) field.ErrorList {
			return pod.ValidateAzureDiskVolumeSource(s.AzureDisk, p.Child("azureDisk"))
		}},
		{name: "scaleIO", set: s.ScaleIO != nil, validate: func(p *field.Path) field.ErrorList {
			sio := s.ScaleIO
			return requireAll(p.Child("scaleIO"), nonEmpty("gateway", sio.Gateway != ""), nonEmpty("system", sio.System != ""), nonEmpty("volumeName", sio.VolumeName != ""))
		}},
		{name: "local", set: s.Local != nil, validate: func(p *field.Path) field.ErrorList { return validateLocalSource(s.Local, p.Child("local")) }},
		{name: "storageos", set: s.StorageOS != nil, validate: func(p *field.Path) field.ErrorList { return validateStorageOSSource(s.StorageOS, p.Child("storageos")) }},
		{name: "csi", set: s.CSI != nil, validate: func(p *field.Path) field.ErrorList { return validateCSISource(s.CSI, p.Child("csi")) }},
	}
}

// validatePVSources checks that exactly one source is given, and it.
func validatePVSources(s *corev1.PersistentVolumeSpec, pvName string, nodeAffinitySet bool, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	n := 0
	for _, src := range pvSources(s, pvName) {
		if !src.set {
			continue
		}
		if n > 0 && !src.uncounted {
			errs = append(errs, field.Forbidden(fldPath.Child(src.name), "may not specify more than 1 volume type"))
			continue
		}
		n++
		errs = append(errs, src.validate(fldPath)...)
		if src.name == "local" && !nodeAffinitySet {
			errs = append(errs, field.Required(fldPath.Child("nodeAffinity"), "Local volume requires node affinity"))
		}
	}
	if n == 0 {
		errs = append(errs, field.Required(fldPath, "must specify a volume type"))
	}
	return errs
}

// required is a field that must be set.
type required struct {
	name string
	ok   bool
}

func nonEmpty(name string, ok bool) required { return required{name, ok} }

func requireAll(p *field.Path, fields ...required) field.ErrorList {
	var errs field.ErrorList
	for _, f := range fields {
		if !f.ok {
			errs = append(errs, field.Required(p.Child(f.name), ""))
		}
	}
	return errs
}

// validatePathNoBacksteps refuses ".." elements.
func validatePathNoBacksteps(target string, p *field.Path) field.ErrorList {
	for _, item := range strings.Split(filepath.ToSlash(target), "/") {
		if item == ".." {
			return field.ErrorList{field.Invalid(p, target, "must not contain '..'")}
		}
	}
	return nil
}

func validatePartitionedDisk(idName, id string, partition int32, p *field.Path) field.ErrorList {
	errs := requireAll(p, nonEmpty(idName, id != ""))
	if partition < 0 || partition > 255 {
		errs = append(errs, field.Invalid(p.Child("partition"), partition, pdPartitionErrorMsg))
	}
	return errs
}

func validateGlusterfsSource(g *corev1.GlusterfsPersistentVolumeSource, p *field.Path) field.ErrorList {
	errs := requireAll(p, nonEmpty("endpoints", g.EndpointsName != ""), nonEmpty("path", g.Path != ""))
	if ns := g.EndpointsNamespace; ns != nil {
		if *ns == "" {
			errs = append(errs, field.Invalid(p.Child("endpointsNamespace"), *ns, "if the endpointnamespace is set, it must be a valid namespace name"))
		} else {
			for _, msg := range apimachineryvalidation.ValidateNamespaceName(*ns, false) {
				errs = append(errs, field.Invalid(p.Child("endpointsNamespace"), *ns, msg))
			}
		}
	}
	return errs
}

// validateISCSIName checks an IQN, EUI or NAA name.
func validateISCSIName(name string, p *field.Path) field.ErrorList {
	const badFormat = "must be valid format"
	switch {
	case !strings.HasPrefix(name, "iqn") && !strings.HasPrefix(name, "eui") && !strings.HasPrefix(name, "naa"):
		return field.ErrorList{field.Invalid(p, name, badFormat)}
	case strings.HasPrefix(name, "iqn") && !iscsiIQNRegexp.MatchString(name),
		strings.HasPrefix(name, "eui") && !iscsiEUIRegexp.MatchString(name),
		strings.HasPrefix(name, "naa") && !iscsiNAARegexp.MatchString(name):
		return field.ErrorList{field.Invalid(p, name, badFormat)}
	}
	return nil
}

func validateISCSISource(s *corev1.ISCSIPersistentVolumeSource, pvName string, p *field.Path) field.ErrorList {
	errs := requireAll(p, nonEmpty("targetPortal", s.TargetPortal != ""))
	if s.InitiatorName != nil && len(pvName+":"+s.TargetPortal) > 64 {
		errs = append(errs, field.Invalid(p.Child("targetportal"), s.TargetPortal,
			"Total length of <volume name>:<iscsi.targetPortal> must be under 64 characters if iscsi.initiatorName is specified."))
	}
	if s.IQN == "" {
		errs = append(errs, field.Required(p.Child("iqn"), ""))
	} else {
		errs = append(errs, validateISCSIName(s.IQN, p.Child("iqn"))...)
	}
	if s.Lun < 0 || s.Lun > 255 {
		errs = append(errs, field.Invalid(p.Child("lun"), s.Lun, validation.InclusiveRangeError(0, 255)))
	}
	if (s.DiscoveryCHAPAuth || s.SessionCHAPAuth) && s.SecretRef == nil {
		errs = append(errs, field.Required(p.Child("secretRef"), ""))
	}
	if s.SecretRef != nil && s.SecretRef.Name == "" {
		errs = append(errs, field.Required(p.Child("secretRef", "name"), ""))
	}
	if s.InitiatorName != nil {
		errs = append(errs, validateISCSIName(*s.InitiatorName, p.Child("initiatorname"))...)
	}
	return errs
}

func validateCinderSource(c *corev1.CinderPersistentVolumeSource, p *field.Path) field.ErrorList {
	errs := requireAll(p, nonEmpty("volumeID", c.VolumeID != ""))
	if c.SecretRef != nil {
		errs = append(errs, requireAll(p.Child("secretRef"), nonEmpty("name", c.SecretRef.Name != ""), nonEmpty("namespace", c.SecretRef.Namespace != ""))...)
	}
	return errs
}

// validateFlexSource: a driver, and options outside kubernetes.io/k8s.io.
func validateFlexSource(driver string, options map[string]string, p *field.Path) field.ErrorList {
	errs := requireAll(p, nonEmpty("driver", driver != ""))
	for k := range options {
		ns := k
		if parts := strings.SplitN(k, "/", 2); len(parts) == 2 {
			ns = parts[0]
		}
		normalized := "." + strings.ToLower(ns)
		if strings.HasSuffix(normalized, ".kubernetes.io") || strings.HasSuffix(normalized, ".k8s.io") {
			errs = append(errs, field.Invalid(p.Child("options").Key(k), k, "kubernetes.io and k8s.io namespaces are reserved"))
		}
	}
	return errs
}

func validateAzureFileSource(a *corev1.AzureFilePersistentVolumeSource, p *field.Path) field.ErrorList {
	errs := requireAll(p, nonEmpty("secretName", a.SecretName != ""), nonEmpty("shareName", a.ShareName != ""))
	if a.SecretNamespace != nil && *a.SecretNamespace == "" {
		errs = append(errs, field.Required(p.Child("secretNamespace"), ""))
	}
	return errs
}

func validateLocalSource(l *corev1.LocalVolumeSource, p *field.Path) field.ErrorList {
	if l.Path == "" {
		return field.ErrorList{field.Required(p.Child("path"), "")}
	}
	return validatePathNoBacksteps(l.Path, p.Child("path"))
}

func validateStorageOSSource(s *corev1.StorageOSPersistentVolumeSource, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	if s.VolumeName == "" {
		errs = append(errs, field.Required(p.Child("volumeName"), ""))
	} else {
		errs = append(errs, dns1123Label(s.VolumeName, p.Child("volumeName"))...)
	}
	if s.VolumeNamespace != "" {
		errs = append(errs, dns1123Label(s.VolumeNamespace, p.Child("volumeNamespace"))...)
	}
	if s.SecretRef != nil {
		errs = append(errs, requireAll(p.Child("secretRef"), nonEmpty("name", s.SecretRef.Name != ""), nonEmpty("namespace", s.SecretRef.Namespace != ""))...)
	}
	return errs
}

func dns1123Label(v string, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	for _, msg := range validname.IsDNS1123Label(v) {
		errs = append(errs, field.Invalid(p, v, msg))
	}
	return errs
}

func validateCSISource(c *corev1.CSIPersistentVolumeSource, p *field.Path) field.ErrorList {
	errs := validateCSIDriverName(c.Driver, p.Child("driver"))
	errs = append(errs, requireAll(p, nonEmpty("volumeHandle", c.VolumeHandle != ""))...)
	for _, ref := range []struct {
		name string
		ref  *corev1.SecretReference
	}{
		{"controllerPublishSecretRef", c.ControllerPublishSecretRef}, {"controllerExpandSecretRef", c.ControllerExpandSecretRef},
		{"nodePublishSecretRef", c.NodePublishSecretRef}, {"nodeExpandSecretRef", c.NodeExpandSecretRef},
	} {
		if ref.ref != nil {
			errs = append(errs, validatePVSecretReference(ref.ref, p.Child(ref.name))...)
		}
	}
	return errs
}

func validateCSIDriverName(name string, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	if name == "" {
		errs = append(errs, field.Required(p, ""))
	}
	if len(name) > 63 {
		errs = append(errs, field.TooLong(p, "", 63))
	}
	for _, msg := range validname.IsDNS1123Subdomain(strings.ToLower(name)) {
		errs = append(errs, field.Invalid(p, name, msg))
	}
	return errs
}

func validatePVSecretReference(ref *corev1.SecretReference, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	if ref.Name == "" {
		errs = append(errs, field.Required(p.Child("name"), ""))
	} else {
		for _, msg := range validname.IsDNS1123Subdomain(ref.Name) {
			errs = append(errs, field.Invalid(p.Child("name"), ref.Name, msg))
		}
	}
	if ref.Namespace == "" {
		errs = append(errs, field.Required(p.Child("namespace"), ""))
	} else {
		errs = append(errs, dns1123Label(ref.Namespace, p.Child("namespace"))...)
	}
	return errs
}
