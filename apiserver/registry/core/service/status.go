package service

import (
	"context"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
	netutils "k8s.io/utils/net"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/registry/validname"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

// statusStrategy is the services/status subresource's rules (load
// balancer controllers' writes): the spec stays as stored.
type statusStrategy struct{}

var _ registry.UpdateStrategy = statusStrategy{}

// PrepareForUpdate keeps the spec.
func (statusStrategy) PrepareForUpdate(_ context.Context, obj, old storage.Object) {
	svc, ok := obj.(*corev1.Service)
	oldSvc, ok2 := old.(*corev1.Service)
	if ok && ok2 {
		svc.Spec = oldSvc.Spec
	}
}

// ValidateUpdate checks the load balancer status.
func (statusStrategy) ValidateUpdate(_ context.Context, obj, _ storage.Object) field.ErrorList {
	svc, ok := obj.(*corev1.Service)
	if !ok {
		return wrongType(obj)
	}
	return validateLoadBalancerStatus(&svc.Status.LoadBalancer, field.NewPath("status", "loadBalancer"), &svc.Spec)
}

var ipModes = []corev1.LoadBalancerIPMode{corev1.LoadBalancerIPModeProxy, corev1.LoadBalancerIPModeVIP}

func validateLoadBalancerStatus(s *corev1.LoadBalancerStatus, p *field.Path, spec *corev1.ServiceSpec) field.ErrorList {
	ip := p.Child("ingress")
	if spec.Type != corev1.ServiceTypeLoadBalancer && len(s.Ingress) != 0 {
		return field.ErrorList{field.Forbidden(ip, "may only be used when `spec.type` is 'LoadBalancer'")}
	}
	var errs field.ErrorList
	for i, ing := range s.Ingress {
		ipath := ip.Index(i)
		if ing.IP != "" {
			errs = append(errs, validation.IsValidIP(ipath.Child("ip"), ing.IP)...)
		}
		switch {
		case ing.IPMode == nil:
			if ing.IP != "" {
				errs = append(errs, field.Required(ipath.Child("ipMode"), "must be specified when `ip` is set"))
			}
		case ing.IP == "":
			errs = append(errs, field.Forbidden(ipath.Child("ipMode"), "may not be specified when `ip` is not set"))
		case *ing.IPMode != corev1.LoadBalancerIPModeVIP && *ing.IPMode != corev1.LoadBalancerIPModeProxy:
			errs = append(errs, field.NotSupported(ipath.Child("ipMode"), ing.IPMode, ipModes))
		}
		if ing.Hostname != "" {
			errs = append(errs, invalidMsgs(ipath.Child("hostname"), ing.Hostname, validname.IsDNS1123Subdomain(ing.Hostname))...)
			if netutils.ParseIPSloppy(ing.Hostname) != nil {
				errs = append(errs, field.Invalid(ipath.Child("hostname"), ing.Hostname, "must be a DNS name, not an IP address"))
			}
		}
	}
	return errs
}
