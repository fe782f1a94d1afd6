package core

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	apimachineryvalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/registry/validname"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

func endpointsResource(now func() time.Time) *registry.Resource {
	return &registry.Resource{
		GVR:                 gvr("endpoints"),
		Kind:                "Endpoints",
		SingularName:        "endpoints",
		Namespaced:          true,
		ShortNames:          []string{"ep"},
		StoragePrefix:       "services/endpoints",
		New:                 func() storage.Object { return &corev1.Endpoints{} },
		NewList:             func() runtime.Object { return &corev1.EndpointsList{} },
		Strategy:            endpointsStrategy{},
		Table:               registry.Rows(endpointsColumns, now, endpointsRow),
		AllowCreateOnUpdate: true,
	}
}

// endpointsStrategy: ports default to TCP; every address is a usable IP
// and every port a valid number with a name when there are several.
type endpointsStrategy struct{ registry.Plain }

// Default sets ports' protocol to TCP.
func (endpointsStrategy) Default(obj storage.Object) {
	ep, ok := obj.(*corev1.Endpoints)
	if !ok {
		return
	}
	for i := range ep.Subsets {
		for j := range ep.Subsets[i].Ports {
			if p := &ep.Subsets[i].Ports[j]; p.Protocol == "" {
				p.Protocol = corev1.ProtocolTCP
			}
		}
	}
}

// Validate checks the subsets.
func (endpointsStrategy) Validate(_ context.Context, obj storage.Object) field.ErrorList {
	ep, ok := obj.(*corev1.Endpoints)
	if !ok {
		return wrongType(obj)
	}
	return validateEndpointSubsets(ep.Subsets, field.NewPath("subsets"))
}

// ValidateUpdate checks the subsets as on create.
func (s endpointsStrategy) ValidateUpdate(ctx context.Context, obj, _ storage.Object) field.ErrorList {
	return s.Validate(ctx, obj)
}

func validateEndpointSubsets(subsets []corev1.EndpointSubset, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	for i := range subsets {
		ss := &subsets[i]
		p := fldPath.Index(i)
		// Headless services' endpoints may have no ports, but not no addresses.
		if len(ss.Addresses) == 0 && len(ss.NotReadyAddresses) == 0 {
			errs = append(errs, field.Required(p, "must specify `addresses` or `notReadyAddresses`"))
		}
		for j := range ss.Addresses {
			errs = append(errs, validateEndpointAddress(&ss.Addresses[j], p.Child("addresses").Index(j))...)
		}
		for j := range ss.NotReadyAddresses {
			errs = append(errs, validateEndpointAddress(&ss.NotReadyAddresses[j], p.Child("notReadyAddresses").Index(j))...)
		}
		for j := range ss.Ports {
			errs = append(errs, validateEndpointPort(&ss.Ports[j], len(ss.Ports) > 1, p.Child("ports").Index(j))...)
		}
	}
	return errs
}

func validateEndpointAddress(a *corev1.EndpointAddress, fldPath *field.Path) field.ErrorList {
	ipPath := fldPath.Child("ip")
	errs := validation.IsValidIP(ipPath, a.IP)
	if a.Hostname != "" {
		for _, msg := range validname.IsDNS1123Label(a.Hostname) {
			errs = append(errs, field.Invalid(fldPath.Child("hostname"), a.Hostname, msg))
		}
	}
	if a.NodeName != nil {
		for _, msg := range apimachineryvalidation.NameIsDNSSubdomain(*a.NodeName, false) {
			errs = append(errs, field.Invalid(fldPath.Child("nodeName"), *a.NodeName, msg))
		}
	}
	return append(errs, validateNonSpecialIP(a.IP, ipPath)...)
}

// validateNonSpecialIP refuses addresses endpoints may not point at:
// unspecified, loopback and link-local ones.
func validateNonSpecialIP(addr string, fldPath *field.Path) field.ErrorList {
	ip := parseIPSloppy(addr)
	if ip == nil {
		return field.ErrorList{field.Invalid(fldPath, addr, "must be a valid IP address")}
	}
	var errs field.ErrorList
	if ip.IsUnspecified() {
		errs = append(errs, field.Invalid(fldPath, addr, fmt.Sprintf("may not be unspecified (%v)", addr)))
	}
	if ip.IsLoopback() {
		errs = append(errs, field.Invalid(fldPath, addr, "may not be in the loopback range (127.0.0.0/8, ::1/128)"))
	}
	if ip.IsLinkLocalUnicast() {
		errs = append(errs, field.Invalid(fldPath, addr, "may not be in the link-local range (169.254.0.0/16, fe80::/10)"))
	}
	if ip.IsLinkLocalMulticast() {
		errs = append(errs, field.Invalid(fldPath, addr, "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)"))
	}
	return errs
}

// parseIPSloppy parses an IP as upstream does, tolerating IPv4 octets with
// leading zeros (read as decimal).
func parseIPSloppy(s string) net.IP {
	if ip := net.ParseIP(s); ip != nil {
		return ip
	}
	if len(validation.IsValidIP(field.NewPath(""), s)) != 0 {
		return nil
	}
	parts := strings.Split(s, ".")
	if len(parts) != 4 {
		return nil
	}
	b := make([]byte, 4)
	for i, p := range parts {
		n, err := strconv.ParseUint(p, 10, 8)
		if err != nil {
			return nil
		}
		b[i] = byte(n)
	}
	return net.IPv4(b[0], b[1], b[2], b[3])
}

var portProtocols = []corev1.Protocol{corev1.ProtocolSCTP, corev1.ProtocolTCP, corev1.ProtocolUDP}

func validateEndpointPort(port *corev1.EndpointPort, requireName bool, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	switch {
	case requireName && port.Name == "":
		errs = append(errs, field.Required(fldPath.Child("name"), ""))
	case port.Name != "":
		for _, msg := range validname.IsDNS1123Label(port.Name) {
			errs = append(errs, field.Invalid(fldPath.Child("name"), port.Name, msg))
		}
	}
	for _, msg := range validation.IsValidPortNum(int(port.Port)) {
		errs = append(errs, field.Invalid(fldPath.Child("port"), port.Port, msg))
	}
	switch {
	case port.Protocol == "":
		errs = append(errs, field.Required(fldPath.Child("protocol"), ""))
	case !isProtocol(port.Protocol):
		errs = append(errs, field.NotSupported(fldPath.Child("protocol"), port.Protocol, portProtocols))
	}
	if port.AppProtocol != nil {
		for _, msg := range validname.IsQualifiedName(*port.AppProtocol) {
			errs = append(errs, field.Invalid(fldPath.Child("appProtocol"), *port.AppProtocol, msg))
		}
	}
	return errs
}

func isProtocol(p corev1.Protocol) bool {
	for _, q := range portProtocols {
		if p == q {
			return true
		}
	}
	return false
}

var endpointsColumns = []metav1.TableColumnDefinition{
	registry.NameColumn,
	{Name: "Endpoints", Type: "string", Description: corev1.Endpoints{}.SwaggerDoc()["subsets"]},
	registry.AgeColumn,
}

func endpointsRow(obj storage.Object, now time.Time) ([]any, error) {
	ep, ok := obj.(*corev1.Endpoints)
	if !ok {
		return nil, unexpectedType(obj)
	}
	return []any{ep.Name, formatEndpoints(ep), age(obj, now)}, nil
}

// formatEndpoints lists up to three ready "ip:port" (or ip, for portless
// subsets) and how many more there are.
func formatEndpoints(ep *corev1.Endpoints) string {
	if len(ep.Subsets) == 0 {
		return "<none>"
	}
	const max = 3
	var list []string
	more, count := false, 0
	add := func(s string) {
		if len(list) == max {
			more = true
			return
		}
		list = append(list, s)
	}
	for _, ss := range ep.Subsets {
		if len(ss.Ports) == 0 {
			count += len(ss.Addresses)
			for _, a := range ss.Addresses {
				add(a.IP)
			}
			continue
		}
		for _, port := range ss.Ports {
			count += len(ss.Addresses)
			for _, a := range ss.Addresses {
				add(net.JoinHostPort(a.IP, strconv.Itoa(int(port.Port))))
			}
		}
	}
	s := strings.Join(list, ",")
	if more {
		return fmt.Sprintf("%s + %d more...", s, count-max)
	}
	return s
}
