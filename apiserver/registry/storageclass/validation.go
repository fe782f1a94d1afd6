package storageclass

import (
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	storagev1 "k8s.io/api/storage/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	metav1validation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/registry/validname"
)

// Upstream's bounds on provisioner parameters.
const (
	maxProvisionerParameterSize = 256 * (1 << 10) // 256 kB
	maxProvisionerParameterLen  = 512
)

// validateStorageClass is upstream's ValidateStorageClass without the
// metadata.
func validateStorageClass(sc *storagev1.StorageClass) field.ErrorList {
	errs := validateProvisioner(sc.Provisioner, field.NewPath("provisioner"))
	errs = append(errs, validateParameters(sc.Parameters, field.NewPath("parameters"))...)
	if p := sc.ReclaimPolicy; p != nil && *p != "" && *p != corev1.PersistentVolumeReclaimDelete && *p != corev1.PersistentVolumeReclaimRetain {
		errs = append(errs, field.NotSupported(field.NewPath("reclaimPolicy"), p, []string{string(corev1.PersistentVolumeReclaimDelete), string(corev1.PersistentVolumeReclaimRetain)}))
	}
	switch m := sc.VolumeBindingMode; {
	case m == nil:
		errs = append(errs, field.Required(field.NewPath("volumeBindingMode"), ""))
	case *m != storagev1.VolumeBindingImmediate && *m != storagev1.VolumeBindingWaitForFirstConsumer:
		errs = append(errs, field.NotSupported(field.NewPath("volumeBindingMode"), m, []string{string(storagev1.VolumeBindingImmediate), string(storagev1.VolumeBindingWaitForFirstConsumer)}))
	}
	return append(errs, validateAllowedTopologies(sc.AllowedTopologies, field.NewPath("allowedTopologies"))...)
}

// validateProvisioner: required, a qualified name (case aside).
func validateProvisioner(p string, fldPath *field.Path) field.ErrorList {
	if p == "" {
		return field.ErrorList{field.Required(fldPath, p)}
	}
	var errs field.ErrorList
	lower := strings.ToLower(p)
	for _, msg := range validname.IsQualifiedName(lower) {
		errs = append(errs, field.Invalid(fldPath, lower, msg))
	}
	return errs
}

// validateParameters: at most 512 keys, none empty, 256 kB in all.
func validateParameters(params map[string]string, fldPath *field.Path) field.ErrorList {
	if len(params) > maxProvisionerParameterLen {
		return field.ErrorList{field.TooLong(fldPath, "Provisioner Parameters exceeded max allowed", maxProvisionerParameterLen)}
	}
	var errs field.ErrorList
	var size int64
	for k, v := range params {
		if k == "" {
			errs = append(errs, field.Invalid(fldPath, k, "field can not be empty."))
		}
		size += int64(len(k)) + int64(len(v))
	}
	if size > maxProvisionerParameterSize {
		errs = append(errs, field.TooLong(fldPath, "", maxProvisionerParameterSize))
	}
	return errs
}

// validateAllowedTopologies: each term's requirements have a label key and
// distinct values; keys and terms are not repeated.
func validateAllowedTopologies(terms []corev1.TopologySelectorTerm, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	var seen []map[string][]string
	for i, term := range terms {
		idxPath := fldPath.Index(i)
		exprs := map[string][]string{}
		exprPath := idxPath.Child("matchLabelExpressions")
		for j, req := range term.MatchLabelExpressions {
			reqPath := exprPath.Index(j)
			if len(req.Values) == 0 {
				errs = append(errs, field.Required(reqPath.Child("values"), ""))
			}
			values := map[string]bool{}
			for k, v := range req.Values {
				if values[v] {
					errs = append(errs, field.Duplicate(reqPath.Child("values").Index(k), v))
				}
				values[v] = true
			}
			errs = append(errs, metav1validation.ValidateLabelName(req.Key, reqPath.Child("key"))...)
			if _, dup := exprs[req.Key]; dup {
				errs = append(errs, field.Duplicate(reqPath.Child("key"), req.Key))
			}
			exprs[req.Key] = setOf(values)
		}
		for _, prev := range seen {
			if apiequality.Semantic.DeepEqual(prev, exprs) {
				errs = append(errs, field.Duplicate(exprPath, ""))
			}
		}
		seen = append(seen, exprs)
	}
	return errs
}

func setOf(values map[string]bool) []string {
	out := make([]string, 0, len(values))
	for v := range values {
		out = append(out, v)
	}
	slices.Sort(out)
	return out
}
