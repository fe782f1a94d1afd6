package storageclass

import (
	"slices"

	storagev1 "k8s.io/api/storage/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// Upstream's bounds on a token request's lifetime.
const (
	minTokenExpirationSeconds = 10 * 60
	maxTokenExpirationSeconds = 1 << 32
)

var (
	fsGroupPolicies = []string{string(storagev1.FileFSGroupPolicy), string(storagev1.NoneFSGroupPolicy), string(storagev1.ReadWriteOnceWithFSTypeFSGroupPolicy)}
	lifecycleModes  = []string{string(storagev1.VolumeLifecyclePersistent), string(storagev1.VolumeLifecycleEphemeral)}
)

// validateCSIDriverSpec is upstream's validateCSIDriverSpec (its path for
// attachRequired is spec.attachedRequired).
func validateCSIDriverSpec(s *storagev1.CSIDriverSpec, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	for _, f := range []struct {
		name string
		v    *bool
	}{{"attachedRequired", s.AttachRequired}, {"podInfoOnMount", s.PodInfoOnMount}, {"storageCapacity", s.StorageCapacity}} {
		if f.v == nil {
			errs = append(errs, field.Required(fldPath.Child(f.name), ""))
		}
	}
	if p := s.FSGroupPolicy; p != nil && !slices.Contains(fsGroupPolicies, string(*p)) {
		errs = append(errs, field.NotSupported(fldPath.Child("fsGroupPolicy"), p, fsGroupPolicies))
	}
	errs = append(errs, validateTokenRequests(s.TokenRequests, fldPath.Child("tokenRequests"))...)
	for _, m := range s.VolumeLifecycleModes {
		if !slices.Contains(lifecycleModes, string(m)) {
			errs = append(errs, field.NotSupported(fldPath.Child("volumeLifecycleModes"), m, lifecycleModes))
		}
	}
	if s.SELinuxMount == nil {
		errs = append(errs, field.Required(fldPath.Child("seLinuxMount"), ""))
	}
	return errs
}

// validateTokenRequests: audiences are distinct; lifetimes, when given,
// are between ten minutes and 2^32 seconds.
func validateTokenRequests(reqs []storagev1.TokenRequest, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	seen := map[string]bool{}
	for i, r := range reqs {
		p := fldPath.Index(i)
		if seen[r.Audience] {
			errs = append(errs, field.Duplicate(p.Child("audience"), r.Audience))
			continue
		}
		seen[r.Audience] = true
		if r.ExpirationSeconds == nil {
			continue
		}
		if s := *r.ExpirationSeconds; s < minTokenExpirationSeconds {
			errs = append(errs, field.Invalid(p.Child("expirationSeconds"), s, "may not specify a duration less than 10 minutes"))
		}
		if s := *r.ExpirationSeconds; s > maxTokenExpirationSeconds {
			errs = append(errs, field.Invalid(p.Child("expirationSeconds"), s, "may not specify a duration larger than 2^32 seconds"))
		}
	}
	return errs
}
