package storageclass

import (
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/registry/validname"
)

// Resources lists every storage.k8s.io/v1 resource this package serves.
func Resources() []*registry.Resource {
	return []*registry.Resource{
		storageClassResource(time.Now),
		csiDriverResource(time.Now),
		csiNodeResource(time.Now),
		csiStorageCapacityResource(),
		volumeAttachmentResource(time.Now),
	}
}

// maxDriverNameLength bounds CSI driver names where other objects name a
// driver (CSINode drivers, VolumeAttachment attachers), as upstream.
const maxDriverNameLength = 63

// validateDriverName is upstream's ValidateCSIDriverName for a driver named
// inside another object: required, at most 63 characters, a DNS subdomain
// once lower-cased.
func validateDriverName(name string, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	if name == "" {
		errs = append(errs, field.Required(fldPath, ""))
	}
	if len(name) > maxDriverNameLength {
		errs = append(errs, field.TooLong(fldPath, name, maxDriverNameLength))
	}
	for _, msg := range validname.IsDNS1123Subdomain(strings.ToLower(name)) {
		errs = append(errs, field.Invalid(fldPath, name, msg))
	}
	return errs
}
