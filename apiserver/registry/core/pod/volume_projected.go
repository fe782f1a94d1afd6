package pod

import (
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1validation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	"k8s.io/apimachinery/pkg/util/sets"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/registry/validname"
)

func validateProjected(s *corev1.ProjectedVolumeSource, p *field.Path, opts options) field.ErrorList {
	errs := validateMode(s.DefaultMode, p.Child("defaultMode"))
	paths := sets.New[string]()
	addPath := func(path, value string) {
		if path == "" {
			return
		}
		if paths.Has(path) {
			errs = append(errs, field.Invalid(p, value, "conflicting duplicate paths"))
		}
		paths.Insert(path)
	}
	for i, src := range s.Sources {
		n := 0
		sp := p.Child("sources").Index(i)
		if src.Secret != nil {
			n++
			errs = append(errs, required(src.Secret.Name, sp.Child("secret", "name"))...)
			for j, kp := range src.Secret.Items {
				errs = append(errs, validateKeyToPath(kp, sp.Child("secret", "items").Index(j))...)
				addPath(kp.Path, src.Secret.Name)
			}
		}
		if src.ConfigMap != nil {
			n++
			errs = append(errs, required(src.ConfigMap.Name, sp.Child("configMap", "name"))...)
			for j, kp := range src.ConfigMap.Items {
				errs = append(errs, validateKeyToPath(kp, sp.Child("configMap", "items").Index(j))...)
				addPath(kp.Path, src.ConfigMap.Name)
			}
		}
		if src.DownwardAPI != nil {
			n++
			for _, f := range src.DownwardAPI.Items {
				errs = append(errs, validateDownwardAPIFile(f, sp.Child("downwardAPI"))...)
				addPath(f.Path, f.Path)
			}
		}
		if t := src.ServiceAccountToken; t != nil {
			n++
			tp := sp.Child("serviceAccountToken", "expirationSeconds")
			if t.ExpirationSeconds != nil && *t.ExpirationSeconds < 10*60 {
				errs = append(errs, field.Invalid(tp, *t.ExpirationSeconds, "may not specify a duration less than 10 minutes"))
			}
			if t.ExpirationSeconds != nil && *t.ExpirationSeconds > 1<<32 {
				errs = append(errs, field.Invalid(tp, *t.ExpirationSeconds, "may not specify a duration larger than 2^32 seconds"))
			}
			if t.Path == "" {
				errs = append(errs, field.Required(p.Child("path"), ""))
			} else if !opts.allowNonLocalProjectedTokenPath {
				errs = append(errs, validateLocalNonReservedPath(t.Path, p.Child("path"))...)
			}
		}
		if b := src.ClusterTrustBundle; b != nil {
			n++
			errs = append(errs, validateClusterTrustBundle(b, sp.Child("clusterTrustBundle"))...)
			addPath(b.Path, b.Path)
		}
		if n > 1 {
			errs = append(errs, field.Forbidden(sp, "may not specify more than 1 volume type per source"))
		}
	}
	return errs
}

func validateClusterTrustBundle(b *corev1.ClusterTrustBundleProjection, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	switch {
	case b.Name != nil && b.SignerName != nil:
		errs = append(errs, field.Invalid(p, b, "only one of name and signerName may be used"))
	case b.Name != nil:
		if *b.Name == "" {
			errs = append(errs, field.Required(p.Child("name"), "must be a valid object name"))
		}
		if b.LabelSelector != nil {
			errs = append(errs, field.Invalid(p.Child("labelSelector"), b.LabelSelector, "labelSelector must be unset if name is specified"))
		}
	case b.SignerName != nil:
		if *b.SignerName == "" {
			errs = append(errs, field.Required(p.Child("signerName"), "must be a valid signer name"))
		}
		errs = append(errs, metav1validation.ValidateLabelSelector(b.LabelSelector, metav1validation.LabelSelectorValidationOptions{}, p.Child("labelSelector"))...)
	default:
		errs = append(errs, field.Required(p, "either name or signerName must be specified"))
	}
	if b.Path == "" {
		errs = append(errs, field.Required(p.Child("path"), ""))
	}
	return append(errs, validateLocalNonReservedPath(b.Path, p.Child("path"))...)
}

// validateEphemeralSource checks a generic ephemeral volume's claim
// template: only labels and annotations in its metadata, and a valid
// claim spec.
func validateEphemeralSource(e *corev1.EphemeralVolumeSource, p *field.Path) field.ErrorList {
	if e.VolumeClaimTemplate == nil {
		return field.ErrorList{field.Required(p.Child("volumeClaimTemplate"), "")}
	}
	tp := p.Child("volumeClaimTemplate")
	t := e.VolumeClaimTemplate
	mp := tp.Child("metadata")
	errs := apivalidation.ValidateAnnotations(t.Annotations, mp.Child("annotations"))
	errs = append(errs, metav1validation.ValidateLabels(t.Labels, mp.Child("labels"))...)
	rest := t.ObjectMeta.DeepCopy()
	rest.Labels, rest.Annotations = nil, nil
	errs = append(errs, validateFieldAllowList(*rest, nil, "cannot be set", mp)...)
	return append(errs, validateClaimSpec(&t.Spec, tp.Child("spec"))...)
}

var supportedAccessModes = []corev1.PersistentVolumeAccessMode{corev1.ReadOnlyMany, corev1.ReadWriteMany, corev1.ReadWriteOnce, corev1.ReadWriteOncePod}

func validateClaimSpec(s *corev1.PersistentVolumeClaimSpec, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	if len(s.AccessModes) == 0 {
		errs = append(errs, field.Required(p.Child("accessModes"), "at least 1 access mode is required"))
	}
	if s.Selector != nil {
		errs = append(errs, metav1validation.ValidateLabelSelector(s.Selector, metav1validation.LabelSelectorValidationOptions{}, p.Child("selector"))...)
	}
	rwop, other := false, false
	for _, m := range s.AccessModes {
		known := false
		for _, k := range supportedAccessModes {
			known = known || k == m
		}
		if !known {
			errs = append(errs, field.NotSupported(p.Child("accessModes"), m, supportedAccessModes))
		}
		if m == corev1.ReadWriteOncePod {
			rwop = true
		} else if known {
			other = true
		}
	}
	if rwop && other {
		errs = append(errs, field.Forbidden(p.Child("accessModes"), "may not use ReadWriteOncePod with other access modes"))
	}
	sp := p.Child("resources").Key(string(corev1.ResourceStorage))
	if q, ok := s.Resources.Requests[corev1.ResourceStorage]; !ok {
		errs = append(errs, field.Required(sp, ""))
	} else if q.Cmp(resource.Quantity{}) <= 0 {
		errs = append(errs, field.Invalid(sp, q.String(), "must be greater than zero"))
	}
	if c := s.StorageClassName; c != nil && *c != "" {
		for _, msg := range apivalidation.NameIsDNSSubdomain(*c, false) {
			errs = append(errs, field.Invalid(p.Child("storageClassName"), *c, msg))
		}
	}
	if m := s.VolumeMode; m != nil && *m != corev1.PersistentVolumeBlock && *m != corev1.PersistentVolumeFilesystem {
		errs = append(errs, field.NotSupported(p.Child("volumeMode"), *m, []corev1.PersistentVolumeMode{corev1.PersistentVolumeBlock, corev1.PersistentVolumeFilesystem}))
	}
	if d := s.DataSource; d != nil {
		errs = append(errs, validateDataSource(d.Name, d.Kind, d.APIGroup, p.Child("dataSource"))...)
	}
	if d := s.DataSourceRef; d != nil {
		errs = append(errs, validateDataSource(d.Name, d.Kind, d.APIGroup, p.Child("dataSourceRef"))...)
	}
	return errs
}

func validateDataSource(name, kind string, group *string, p *field.Path) field.ErrorList {
	errs := required(name, p.Child("name"))
	errs = append(errs, required(kind, p.Child("kind"))...)
	g := ""
	if group != nil {
		g = *group
	}
	if g == "" && kind != "PersistentVolumeClaim" {
		errs = append(errs, field.Invalid(p, kind, "must be 'PersistentVolumeClaim' when referencing the default apiGroup"))
	}
	if g != "" {
		for _, msg := range validname.IsDNS1123Subdomain(g) {
			errs = append(errs, field.Invalid(p.Child("apiGroup"), g, msg))
		}
	}
	return errs
}
