package service

import (
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1validation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/sets"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/registry/validname"
)

const (
	annotationTopologyMode       = "service.kubernetes.io/topology-mode"
	annotationTopologyAwareHints = "service.kubernetes.io/topology-aware-hints"
	annotationSourceRanges       = corev1.AnnotationLoadBalancerSourceRangesKey
	maxClientIPAffinitySeconds   = 86400 // one day
	typeOnlyLoadBalancer         = "may only be used when `type` is 'LoadBalancer'"
)

var (
	supportedTypes = []corev1.ServiceType{corev1.ServiceTypeClusterIP, corev1.ServiceTypeExternalName, corev1.ServiceTypeLoadBalancer, corev1.ServiceTypeNodePort}
	protocols      = []corev1.Protocol{corev1.ProtocolSCTP, corev1.ProtocolTCP, corev1.ProtocolUDP}
)

// validateService checks a service's spec (the registry checks its
// metadata; the name is a DNS-1035 label).
func validateService(svc *corev1.Service) field.ErrorList {
	var errs field.ErrorList
	spec := &svc.Spec
	specPath := field.NewPath("spec")
	if mode, ok := svc.Annotations[annotationTopologyMode]; ok {
		if hints, ok := svc.Annotations[annotationTopologyAwareHints]; ok && hints != mode {
			errs = append(errs, field.Invalid(field.NewPath("metadata", "annotations").Key(annotationTopologyMode), mode,
				fmt.Sprintf("must match annotations[%s] when both are specified", annotationTopologyAwareHints)))
		}
	}
	if len(spec.Ports) == 0 && !isHeadless(svc) && spec.Type != corev1.ServiceTypeExternalName {
		errs = append(errs, field.Required(specPath.Child("ports"), ""))
	}
	switch spec.Type {
	case corev1.ServiceTypeLoadBalancer, corev1.ServiceTypeNodePort:
		if isHeadless(svc) {
			errs = append(errs, field.Invalid(specPath.Child("clusterIPs").Index(0), spec.ClusterIPs[0], fmt.Sprintf("may not be set to 'None' for %s services", spec.Type)))
		}
	case corev1.ServiceTypeExternalName:
		if len(spec.ClusterIPs) > 0 {
			errs = append(errs, field.Forbidden(specPath.Child("clusterIPs"), "may not be set for ExternalName services"))
		}
		if len(spec.IPFamilies) > 0 {
			errs = append(errs, field.Forbidden(specPath.Child("ipFamilies"), "may not be set for ExternalName services"))
		}
		if spec.IPFamilyPolicy != nil {
			errs = append(errs, field.Forbidden(specPath.Child("ipFamilyPolicy"), "may not be set for ExternalName services"))
		}
		// A CNAME may end in a dot, as fully qualified.
		if cname := strings.TrimSuffix(spec.ExternalName, "."); cname != "" {
			errs = append(errs, invalidMsgs(specPath.Child("externalName"), cname, validname.IsDNS1123Subdomain(cname))...)
		} else {
			errs = append(errs, field.Required(specPath.Child("externalName"), ""))
		}
	}

	portsPath := specPath.Child("ports")
	names := sets.New[string]()
	for i := range spec.Ports {
		errs = append(errs, validateServicePort(&spec.Ports[i], len(spec.Ports) > 1, names, portsPath.Index(i))...)
	}
	if spec.Selector != nil {
		errs = append(errs, metav1validation.ValidateLabels(spec.Selector, specPath.Child("selector"))...)
	}
	errs = append(errs, validateSessionAffinity(spec, specPath)...)
	errs = append(errs, validateClusterIPsRelatedFields(svc)...)
	for i, ip := range spec.ExternalIPs {
		p := specPath.Child("externalIPs").Index(i)
		if e := validation.IsValidIP(p, ip); len(e) > 0 {
			errs = append(errs, e...)
		} else {
			errs = append(errs, validateNonSpecialIP(ip, p)...)
		}
	}
	switch {
	case spec.Type == "":
		errs = append(errs, field.Required(specPath.Child("type"), ""))
	case !typeSupported(spec.Type):
		errs = append(errs, field.NotSupported(specPath.Child("type"), spec.Type, supportedTypes))
	}
	if spec.Type == corev1.ServiceTypeClusterIP {
		for i, p := range spec.Ports {
			if p.NodePort != 0 {
				errs = append(errs, field.Forbidden(portsPath.Index(i).Child("nodePort"), "may not be used when `type` is 'ClusterIP'"))
			}
		}
	}
	errs = append(errs, validateDuplicatePorts(spec.Ports, portsPath)...)
	errs = append(errs, validateSourceRanges(svc, specPath)...)
	if spec.AllocateLoadBalancerNodePorts != nil && spec.Type != corev1.ServiceTypeLoadBalancer {
		errs = append(errs, field.Forbidden(specPath.Child("allocateLoadBalancerNodePorts"), typeOnlyLoadBalancer))
	}
	if spec.Type == corev1.ServiceTypeLoadBalancer && spec.AllocateLoadBalancerNodePorts == nil {
		// Upstream's path, without "spec".
		errs = append(errs, field.Required(field.NewPath("allocateLoadBalancerNodePorts"), ""))
	}
	errs = append(errs, validateLoadBalancerClass(nil, svc)...)
	errs = append(errs, validateExternalTrafficPolicy(svc)...)
	if spec.InternalTrafficPolicy == nil {
		if spec.Type == corev1.ServiceTypeNodePort || spec.Type == corev1.ServiceTypeLoadBalancer || spec.Type == corev1.ServiceTypeClusterIP {
			errs = append(errs, field.Required(specPath.Child("internalTrafficPolicy"), ""))
		}
	} else if p := *spec.InternalTrafficPolicy; p != corev1.ServiceInternalTrafficPolicyCluster && p != corev1.ServiceInternalTrafficPolicyLocal {
		errs = append(errs, field.NotSupported(specPath.Child("internalTrafficPolicy"), p,
			[]corev1.ServiceInternalTrafficPolicy{corev1.ServiceInternalTrafficPolicyCluster, corev1.ServiceInternalTrafficPolicyLocal}))
	}
	if d := spec.TrafficDistribution; d != nil && *d != corev1.ServiceTrafficDistributionPreferClose {
		errs = append(errs, field.NotSupported(specPath.Child("trafficDistribution"), *d, []string{corev1.ServiceTrafficDistributionPreferClose}))
	}
	return errs
}

func typeSupported(t corev1.ServiceType) bool {
	for _, s := range supportedTypes {
		if s == t {
			return true
		}
	}
	return false
}

func validateServicePort(p *corev1.ServicePort, requireName bool, names sets.Set[string], path *field.Path) field.ErrorList {
	var errs field.ErrorList
	if requireName && p.Name == "" {
		errs = append(errs, field.Required(path.Child("name"), ""))
	} else if p.Name != "" {
		errs = append(errs, invalidMsgs(path.Child("name"), p.Name, validname.IsDNS1123Label(p.Name))...)
		if names.Has(p.Name) {
			errs = append(errs, field.Duplicate(path.Child("name"), p.Name))
		} else {
			names.Insert(p.Name)
		}
	}
	errs = append(errs, invalidMsgs(path.Child("port"), p.Port, validation.IsValidPortNum(int(p.Port)))...)
	switch p.Protocol {
	case corev1.ProtocolTCP, corev1.ProtocolUDP, corev1.ProtocolSCTP:
	case "":
		errs = append(errs, field.Required(path.Child("protocol"), ""))
	default:
		errs = append(errs, field.NotSupported(path.Child("protocol"), p.Protocol, protocols))
	}
	errs = append(errs, validatePortNumOrName(p.TargetPort, path.Child("targetPort"))...)
	if p.AppProtocol != nil {
		errs = append(errs, invalidMsgs(path.Child("appProtocol"), *p.AppProtocol, validname.IsQualifiedName(*p.AppProtocol))...)
	}
	return errs
}

func validatePortNumOrName(port intstr.IntOrString, path *field.Path) field.ErrorList {
	switch port.Type {
	case intstr.Int:
		return invalidMsgs(path, port.IntValue(), validation.IsValidPortNum(port.IntValue()))
	case intstr.String:
		return invalidMsgs(path, port.StrVal, validation.IsValidPortName(port.StrVal))
	}
	return field.ErrorList{field.InternalError(path, fmt.Errorf("unknown type: %v", port.Type))}
}

// portKey prints as upstream's internal ServicePort with only the
// protocol and port set, the value its duplicate-port error shows.
type portKey struct {
	protocol corev1.Protocol
	port     int32
}

func (k portKey) String() string {
	return fmt.Sprintf(`core.ServicePort{Name:"", Protocol:%q, AppProtocol:(*string)(nil), Port:%d, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`, k.protocol, k.port)
}

// validateDuplicatePorts: node ports and ports are unique per protocol.
func validateDuplicatePorts(ports []corev1.ServicePort, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	nodePorts := sets.New[portKey]()
	for i, p := range ports {
		if p.NodePort == 0 {
			continue
		}
		k := portKey{p.Protocol, p.NodePort}
		if nodePorts.Has(k) {
			errs = append(errs, field.Duplicate(path.Index(i).Child("nodePort"), p.NodePort))
		}
		nodePorts.Insert(k)
	}
	seen := sets.New[portKey]()
	for i, p := range ports {
		k := portKey{p.Protocol, p.Port}
		if seen.Has(k) {
			errs = append(errs, field.Duplicate(path.Index(i), k))
		}
		seen.Insert(k)
	}
	return errs
}

func validateSessionAffinity(spec *corev1.ServiceSpec, specPath *field.Path) field.ErrorList {
	p := specPath.Child("sessionAffinity")
	switch spec.SessionAffinity {
	case "":
		return field.ErrorList{field.Required(p, "")}
	case corev1.ServiceAffinityNone:
		if spec.SessionAffinityConfig != nil {
			return field.ErrorList{field.Forbidden(specPath.Child("sessionAffinityConfig"), fmt.Sprintf("must not be set when session affinity is %s", corev1.ServiceAffinityNone))}
		}
		return nil
	case corev1.ServiceAffinityClientIP:
		cp := specPath.Child("sessionAffinityConfig")
		when := fmt.Sprintf("when session affinity type is %s", corev1.ServiceAffinityClientIP)
		c := spec.SessionAffinityConfig
		switch {
		case c == nil:
			return field.ErrorList{field.Required(cp, when)}
		case c.ClientIP == nil:
			return field.ErrorList{field.Required(cp.Child("clientIP"), when)}
		case c.ClientIP.TimeoutSeconds == nil:
			return field.ErrorList{field.Required(cp.Child("clientIP", "timeoutSeconds"), when)}
		case *c.ClientIP.TimeoutSeconds <= 0 || *c.ClientIP.TimeoutSeconds > maxClientIPAffinitySeconds:
			return field.ErrorList{field.Invalid(cp.Child("clientIP", "timeoutSeconds"), c.ClientIP.TimeoutSeconds,
				fmt.Sprintf("must be greater than 0 and less than %d", maxClientIPAffinitySeconds))}
		}
		return nil
	}
	return field.ErrorList{field.NotSupported(p, spec.SessionAffinity, []corev1.ServiceAffinity{corev1.ServiceAffinityClientIP, corev1.ServiceAffinityNone})}
}

// validateSourceRanges checks loadBalancerSourceRanges, or its older
// annotation (values may be space-padded, as they always were).
func validateSourceRanges(svc *corev1.Service, specPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	if ranges := svc.Spec.LoadBalancerSourceRanges; len(ranges) > 0 {
		p := specPath.Child("LoadBalancerSourceRanges")
		if svc.Spec.Type != corev1.ServiceTypeLoadBalancer {
			errs = append(errs, field.Forbidden(p, typeOnlyLoadBalancer))
		}
		for i, r := range ranges {
			errs = append(errs, validation.IsValidCIDR(p.Index(i), strings.TrimSpace(r))...)
		}
		return errs
	}
	v, ok := svc.Annotations[annotationSourceRanges]
	if !ok {
		return nil
	}
	p := field.NewPath("metadata", "annotations").Key(annotationSourceRanges)
	if svc.Spec.Type != corev1.ServiceTypeLoadBalancer {
		errs = append(errs, field.Forbidden(p, typeOnlyLoadBalancer))
	}
	if v = strings.TrimSpace(v); v != "" {
		for _, r := range strings.Split(v, ",") {
			errs = append(errs, validation.IsValidCIDR(p, strings.TrimSpace(r))...)
		}
	}
	return errs
}

func validateLoadBalancerClass(old, svc *corev1.Service) field.ErrorList {
	var errs field.ErrorList
	p := field.NewPath("spec", "loadBalancerClass")
	if old != nil && old.Spec.Type == corev1.ServiceTypeLoadBalancer && svc.Spec.Type == corev1.ServiceTypeLoadBalancer && !sameLoadBalancerClass(old, svc) {
		errs = append(errs, field.Invalid(p, svc.Spec.LoadBalancerClass, "may not change once set"))
	}
	if c := svc.Spec.LoadBalancerClass; c != nil {
		if svc.Spec.Type == corev1.ServiceTypeLoadBalancer {
			errs = append(errs, invalidMsgs(p, *c, validname.IsQualifiedName(*c))...)
		} else {
			errs = append(errs, field.Forbidden(p, typeOnlyLoadBalancer))
		}
	}
	return errs
}

func validateExternalTrafficPolicy(svc *corev1.Service) field.ErrorList {
	var errs field.ErrorList
	p := field.NewPath("spec")
	etp := svc.Spec.ExternalTrafficPolicy
	switch {
	case !externallyAccessible(svc):
		if etp != "" {
			errs = append(errs, field.Invalid(p.Child("externalTrafficPolicy"), etp, "may only be set for externally-accessible services"))
		}
	case etp == "":
		errs = append(errs, field.Required(p.Child("externalTrafficPolicy"), ""))
	case etp != corev1.ServiceExternalTrafficPolicyCluster && etp != corev1.ServiceExternalTrafficPolicyLocal:
		errs = append(errs, field.NotSupported(p.Child("externalTrafficPolicy"), etp,
			[]corev1.ServiceExternalTrafficPolicy{corev1.ServiceExternalTrafficPolicyCluster, corev1.ServiceExternalTrafficPolicyLocal}))
	}
	hc := svc.Spec.HealthCheckNodePort
	if !needsHealthCheck(svc) {
		if hc != 0 {
			errs = append(errs, field.Invalid(p.Child("healthCheckNodePort"), hc, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"))
		}
	} else if hc == 0 {
		// The allocator fills it in before validation.
		errs = append(errs, field.Required(p.Child("healthCheckNodePort"), ""))
	} else {
		errs = append(errs, invalidMsgs(p.Child("healthCheckNodePort"), hc, validation.IsValidPortNum(int(hc)))...)
	}
	return errs
}

func invalidMsgs(p *field.Path, value any, msgs []string) field.ErrorList {
	var errs field.ErrorList
	for _, msg := range msgs {
		errs = append(errs, field.Invalid(p, value, msg))
	}
	return errs
}
