package fieldmanager

import (
	"strings"
	"unicode"
	"unicode/utf8"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	metavalidation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// ManagerName is the manager a write is recorded under: fieldManager when
// the request gives one, else the User-Agent's part before the first "/"
// ("kubectl/v1.31.3 (linux/amd64) kubernetes/c83cbee" → "kubectl"),
// without unprintable characters and cut at 128 bytes, as upstream.
// (Apply requires fieldManager; see ValidatePatchOptions.)
func ManagerName(fieldManager, userAgent string) string {
	if fieldManager != "" {
		return fieldManager
	}
	prefix, _, _ := strings.Cut(userAgent, "/")
	var b strings.Builder
	for _, r := range prefix {
		if !unicode.IsPrint(r) {
			continue
		}
		if b.Len()+utf8.RuneLen(r) > metavalidation.FieldManagerMaxLength {
			break
		}
		b.WriteRune(r)
	}
	return b.String()
}

// ValidateCreateOptions checks a create's fieldManager, dryRun and
// fieldValidation; the error is upstream's 422 `CreateOptions.meta.k8s.io
// "" is invalid: …`.
func ValidateCreateOptions(opts *metav1.CreateOptions) error {
	return invalidOptions("CreateOptions", metavalidation.ValidateCreateOptions(opts))
}

// ValidateDeleteOptions checks a delete's options as upstream does: dryRun
// "All" or nothing, one propagationPolicy of upstream's and not together
// with orphanDependents (`DeleteOptions.meta.k8s.io "" is invalid: …`).
func ValidateDeleteOptions(opts *metav1.DeleteOptions) error {
	return invalidOptions("DeleteOptions", metavalidation.ValidateDeleteOptions(opts))
}

// ValidateUpdateOptions checks an update's options as ValidateCreateOptions.
func ValidateUpdateOptions(opts *metav1.UpdateOptions) error {
	return invalidOptions("UpdateOptions", metavalidation.ValidateUpdateOptions(opts))
}

// ValidatePatchOptions checks a patch's options: apply requires
// fieldManager (`PatchOptions.meta.k8s.io "" is invalid: fieldManager:
// Required value: is required for apply patch`), other patches may not
// set force.
func ValidatePatchOptions(opts *metav1.PatchOptions, pt types.PatchType) error {
	return invalidOptions("PatchOptions", metavalidation.ValidatePatchOptions(opts, pt))
}

func invalidOptions(kind string, errs field.ErrorList) error {
	if len(errs) == 0 {
		return nil
	}
	return apierrors.NewInvalid(schema.GroupKind{Group: metav1.GroupName, Kind: kind}, "", errs)
}
