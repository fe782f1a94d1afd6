package endpointslice

import (
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	apimachineryvalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1validation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/registry/validname"
)

// Upstream's limits.
const (
	maxTopologyLabels = 16
	maxAddresses      = 100
	maxPorts          = 20000
	maxEndpoints      = 1000
	maxZoneHints      = 8
)

var (
	addressTypes  = []string{string(discoveryv1.AddressTypeFQDN), string(discoveryv1.AddressTypeIPv4), string(discoveryv1.AddressTypeIPv6)}
	portProtocols = []string{string(corev1.ProtocolSCTP), string(corev1.ProtocolTCP), string(corev1.ProtocolUDP)}
)

// validateEndpointSlice is upstream's ValidateEndpointSlice (1.31: no
// special-address checks yet; they came in 1.33).
func validateEndpointSlice(eps *discoveryv1.EndpointSlice) field.ErrorList {
	errs := validateAddressType(eps.AddressType)
	errs = append(errs, validateEndpoints(eps.Endpoints, eps.AddressType, field.NewPath("endpoints"))...)
	return append(errs, validatePorts(eps.Ports, field.NewPath("ports"))...)
}

func validateAddressType(t discoveryv1.AddressType) field.ErrorList {
	path := field.NewPath("addressType")
	switch t {
	case "":
		return field.ErrorList{field.Required(path, "")}
	case discoveryv1.AddressTypeIPv4, discoveryv1.AddressTypeIPv6, discoveryv1.AddressTypeFQDN:
		return nil
	}
	return field.ErrorList{field.NotSupported(path, t, addressTypes)}
}

func validateEndpoints(endpoints []discoveryv1.Endpoint, addrType discoveryv1.AddressType, fldPath *field.Path) field.ErrorList {
	if len(endpoints) > maxEndpoints {
		return field.ErrorList{field.TooMany(fldPath, len(endpoints), maxEndpoints)}
	}
	var errs field.ErrorList
	for i, ep := range endpoints {
		idxPath := fldPath.Index(i)
		addrPath := idxPath.Child("addresses")
		switch n := len(ep.Addresses); {
		case n == 0:
			errs = append(errs, field.Required(addrPath, "must contain at least 1 address"))
		case n > maxAddresses:
			errs = append(errs, field.TooMany(addrPath, n, maxAddresses))
		}
		for j, a := range ep.Addresses {
			switch addrType {
			case discoveryv1.AddressTypeIPv4:
				errs = append(errs, validation.IsValidIPv4Address(addrPath.Index(j), a)...)
			case discoveryv1.AddressTypeIPv6:
				errs = append(errs, validation.IsValidIPv6Address(addrPath.Index(j), a)...)
			case discoveryv1.AddressTypeFQDN:
				errs = append(errs, validation.IsFullyQualifiedDomainName(addrPath.Index(j), a)...)
			}
		}
		if ep.NodeName != nil {
			for _, msg := range apimachineryvalidation.NameIsDNSSubdomain(*ep.NodeName, false) {
				errs = append(errs, field.Invalid(idxPath.Child("nodeName"), *ep.NodeName, msg))
			}
		}
		topoPath := idxPath.Child("deprecatedTopology")
		if len(ep.DeprecatedTopology) > maxTopologyLabels {
			errs = append(errs, field.TooMany(topoPath, len(ep.DeprecatedTopology), maxTopologyLabels))
		}
		errs = append(errs, metav1validation.ValidateLabels(ep.DeprecatedTopology, topoPath)...)
		if ep.Hostname != nil {
			for _, msg := range validname.IsDNS1123Label(*ep.Hostname) {
				errs = append(errs, field.Invalid(idxPath.Child("hostname"), *ep.Hostname, msg))
			}
		}
		if ep.Hints != nil {
			errs = append(errs, validateHints(ep.Hints, idxPath.Child("hints"))...)
		}
	}
	return errs
}

func validatePorts(ports []discoveryv1.EndpointPort, fldPath *field.Path) field.ErrorList {
	if len(ports) > maxPorts {
		return field.ErrorList{field.TooMany(fldPath, len(ports), maxPorts)}
	}
	var errs field.ErrorList
	names := map[string]bool{}
	for i, p := range ports {
		idxPath := fldPath.Index(i)
		name := ""
		if p.Name != nil {
			name = *p.Name
		}
		if name != "" {
			for _, msg := range validname.IsDNS1123Label(name) {
				errs = append(errs, field.Invalid(idxPath.Child("name"), name, msg))
			}
		}
		if names[name] {
			errs = append(errs, field.Duplicate(idxPath.Child("name"), name))
		}
		names[name] = true
		switch {
		case p.Protocol == nil:
			errs = append(errs, field.Required(idxPath.Child("protocol"), ""))
		case *p.Protocol != corev1.ProtocolTCP && *p.Protocol != corev1.ProtocolUDP && *p.Protocol != corev1.ProtocolSCTP:
			errs = append(errs, field.NotSupported(idxPath.Child("protocol"), *p.Protocol, portProtocols))
		}
		if p.AppProtocol != nil {
			for _, msg := range validname.IsQualifiedName(*p.AppProtocol) {
				errs = append(errs, field.Invalid(idxPath.Child("appProtocol"), *p.AppProtocol, msg))
			}
		}
	}
	return errs
}

func validateHints(hints *discoveryv1.EndpointHints, fldPath *field.Path) field.ErrorList {
	zonesPath := fldPath.Child("forZones")
	if len(hints.ForZones) > maxZoneHints {
		return field.ErrorList{field.TooMany(zonesPath, len(hints.ForZones), maxZoneHints)}
	}
	var errs field.ErrorList
	seen := map[string]bool{}
	for i, z := range hints.ForZones {
		path := zonesPath.Index(i).Child("name")
		if seen[z.Name] {
			errs = append(errs, field.Duplicate(path, z.Name))
		}
		seen[z.Name] = true
		for _, msg := range validname.IsValidLabelValue(z.Name) {
			errs = append(errs, field.Invalid(path, z.Name, msg))
		}
	}
	return errs
}
