package core

import (
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	apimachineryvalidation "k8s.io/apimachinery/pkg/api/validation"
	"k8s.io/apimachinery/pkg/util/sets"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/registry/validname"
)

// Resource names and quantities, as upstream's core helpers classify them.

const (
	isNegativeErrorMsg     = apimachineryvalidation.IsNegativeErrorMsg
	isNotIntegerErrorMsg   = "must be an integer"
	isNotPositiveErrorMsg  = "must be greater than zero"
	isInvalidQuotaResource = "must be a standard resource for quota"
	fieldImmutableErrorMsg = apimachineryvalidation.FieldImmutableErrorMsg

	hugePagesPrefix         = "hugepages-"
	requestsHugePagesPrefix = "requests.hugepages-"
	requestsPrefix          = "requests."
	kubernetesIOPrefix      = "kubernetes.io/"
)

var (
	// standardResources are the names known to the system.
	standardResources = sets.New[corev1.ResourceName](
		corev1.ResourceCPU, corev1.ResourceMemory, corev1.ResourceEphemeralStorage,
		corev1.ResourceRequestsCPU, corev1.ResourceRequestsMemory, corev1.ResourceRequestsEphemeralStorage,
		corev1.ResourceLimitsCPU, corev1.ResourceLimitsMemory, corev1.ResourceLimitsEphemeralStorage,
		corev1.ResourcePods, corev1.ResourceQuotas, corev1.ResourceServices,
		corev1.ResourceReplicationControllers, corev1.ResourceSecrets, corev1.ResourceConfigMaps,
		corev1.ResourcePersistentVolumeClaims, corev1.ResourceStorage, corev1.ResourceRequestsStorage,
		corev1.ResourceServicesNodePorts, corev1.ResourceServicesLoadBalancers,
	)
	// standardQuotaResources are the names quota tracks.
	standardQuotaResources = sets.New[corev1.ResourceName](
		corev1.ResourceCPU, corev1.ResourceMemory, corev1.ResourceEphemeralStorage,
		corev1.ResourceRequestsCPU, corev1.ResourceRequestsMemory, corev1.ResourceRequestsStorage,
		corev1.ResourceRequestsEphemeralStorage,
		corev1.ResourceLimitsCPU, corev1.ResourceLimitsMemory, corev1.ResourceLimitsEphemeralStorage,
		corev1.ResourcePods, corev1.ResourceQuotas, corev1.ResourceServices,
		corev1.ResourceReplicationControllers, corev1.ResourceSecrets,
		corev1.ResourcePersistentVolumeClaims, corev1.ResourceConfigMaps,
		corev1.ResourceServicesNodePorts, corev1.ResourceServicesLoadBalancers,
	)
	// integerResources are counted in whole units.
	integerResources = sets.New[corev1.ResourceName](
		corev1.ResourcePods, corev1.ResourceQuotas, corev1.ResourceServices,
		corev1.ResourceReplicationControllers, corev1.ResourceSecrets, corev1.ResourceConfigMaps,
		corev1.ResourcePersistentVolumeClaims, corev1.ResourceServicesNodePorts,
		corev1.ResourceServicesLoadBalancers,
	)
	standardContainerResources = sets.New[corev1.ResourceName](
		corev1.ResourceCPU, corev1.ResourceMemory, corev1.ResourceEphemeralStorage,
	)
)

func isHugePageResourceName(name corev1.ResourceName) bool {
	return strings.HasPrefix(string(name), hugePagesPrefix)
}

func isQuotaHugePageResourceName(name corev1.ResourceName) bool {
	return isHugePageResourceName(name) || strings.HasPrefix(string(name), requestsHugePagesPrefix)
}

func isStandardResourceName(name corev1.ResourceName) bool {
	return standardResources.Has(name) || isQuotaHugePageResourceName(name)
}

func isStandardQuotaResourceName(name corev1.ResourceName) bool {
	return standardQuotaResources.Has(name) || isQuotaHugePageResourceName(name)
}

func isStandardContainerResourceName(name corev1.ResourceName) bool {
	return standardContainerResources.Has(name) || isHugePageResourceName(name)
}

// isNativeResource: unprefixed names and those in *kubernetes.io/.
func isNativeResource(name corev1.ResourceName) bool {
	return !strings.Contains(string(name), "/") || strings.Contains(string(name), kubernetesIOPrefix)
}

// isExtendedResourceName: outside kubernetes.io, not "requests."-prefixed,
// and a qualified name once "requests." is put in front.
func isExtendedResourceName(name corev1.ResourceName) bool {
	if isNativeResource(name) || strings.HasPrefix(string(name), requestsPrefix) {
		return false
	}
	return len(validname.IsQualifiedName(requestsPrefix+string(name))) == 0
}

func isIntegerResourceName(name corev1.ResourceName) bool {
	return integerResources.Has(name) || isExtendedResourceName(name)
}

// isOvercommitAllowed: native resources other than huge pages.
func isOvercommitAllowed(name corev1.ResourceName) bool {
	return isNativeResource(name) && !isHugePageResourceName(name)
}

func hasSlash(name corev1.ResourceName) bool { return strings.Contains(string(name), "/") }

// validateResourceName checks a compute resource name: qualified, and
// standard unless prefixed.
func validateResourceName(name corev1.ResourceName, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	for _, msg := range validname.IsQualifiedName(string(name)) {
		errs = append(errs, field.Invalid(fldPath, name, msg))
	}
	if len(errs) != 0 {
		return errs
	}
	if !hasSlash(name) && !isStandardResourceName(name) {
		errs = append(errs, field.Invalid(fldPath, name, "must be a standard resource type or fully qualified"))
	}
	return errs
}

// validateContainerResourceName checks a name containers may request.
func validateContainerResourceName(name corev1.ResourceName, fldPath *field.Path) field.ErrorList {
	errs := validateResourceName(name, fldPath)
	switch {
	case !hasSlash(name):
		if !isStandardContainerResourceName(name) {
			errs = append(errs, field.Invalid(fldPath, name, "must be a standard resource for containers"))
		}
	case !isNativeResource(name):
		if !isExtendedResourceName(name) {
			errs = append(errs, field.Invalid(fldPath, name, "doesn't follow extended resource name standard"))
		}
	}
	return errs
}

// validateQuotaResourceName checks a name a quota may hold.
func validateQuotaResourceName(name corev1.ResourceName, fldPath *field.Path) field.ErrorList {
	errs := validateResourceName(name, fldPath)
	if !hasSlash(name) && !isStandardQuotaResourceName(name) {
		errs = append(errs, field.Invalid(fldPath, name, isInvalidQuotaResource))
	}
	return errs
}

func validateNonnegativeQuantity(q resource.Quantity, fldPath *field.Path) field.ErrorList {
	if q.Sign() < 0 {
		return field.ErrorList{field.Invalid(fldPath, q.String(), isNegativeErrorMsg)}
	}
	return nil
}

func validatePositiveQuantity(q resource.Quantity, fldPath *field.Path) field.ErrorList {
	if q.Sign() <= 0 {
		return field.ErrorList{field.Invalid(fldPath, q.String(), isNotPositiveErrorMsg)}
	}
	return nil
}

// validateResourceQuantity checks a quantity of the named resource: not
// negative, and whole for integer resources.
func validateResourceQuantity(name corev1.ResourceName, q resource.Quantity, fldPath *field.Path) field.ErrorList {
	errs := validateNonnegativeQuantity(q, fldPath)
	if isIntegerResourceName(name) && q.MilliValue()%1000 != 0 {
		errs = append(errs, field.Invalid(fldPath, q, isNotIntegerErrorMsg))
	}
	return errs
}

// validateBasicResource is upstream's check of capacities.
func validateBasicResource(q resource.Quantity, fldPath *field.Path) field.ErrorList {
	if q.Value() < 0 {
		return field.ErrorList{field.Invalid(fldPath, q.Value(), "must be a valid resource quantity")}
	}
	return nil
}
