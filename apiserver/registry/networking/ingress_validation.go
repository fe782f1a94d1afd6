package networking

import (
	"fmt"
	"net"
	"strings"

	networkingv1 "k8s.io/api/networking/v1"
	apimachineryvalidation "k8s.io/apimachinery/pkg/api/validation"
	"k8s.io/apimachinery/pkg/api/validation/path"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/registry/validname"
)

var (
	pathTypes            = []string{string(networkingv1.PathTypeExact), string(networkingv1.PathTypeImplementationSpecific), string(networkingv1.PathTypePrefix)}
	invalidPathSequences = []string{"//", "/./", "/../", "%2f", "%2F"}
	invalidPathSuffixes  = []string{"/..", "/."}
)

// ingressOptions relax validation for what stored ingresses already hold.
type ingressOptions struct {
	allowInvalidSecretName       bool
	allowInvalidWildcardHostRule bool
}

// validateIngressSpec is upstream's ValidateIngressSpec.
func validateIngressSpec(spec *networkingv1.IngressSpec, fldPath *field.Path, opts ingressOptions) field.ErrorList {
	var errs field.ErrorList
	if len(spec.Rules) == 0 && spec.DefaultBackend == nil {
		errs = append(errs, field.Invalid(fldPath, spec.Rules, "either `defaultBackend` or `rules` must be specified"))
	}
	if spec.DefaultBackend != nil {
		errs = append(errs, validateBackend(spec.DefaultBackend, fldPath.Child("defaultBackend"))...)
	}
	for i, r := range spec.Rules {
		errs = append(errs, validateRule(&r, fldPath.Child("rules").Index(i), opts)...)
	}
	for i, tls := range spec.TLS {
		tlsPath := fldPath.Child("tls").Index(i)
		for j, host := range tls.Hosts {
			errs = append(errs, validateHost(host, tlsPath.Child("hosts").Index(j))...)
		}
		if !opts.allowInvalidSecretName {
			for _, msg := range secretNameErrors(tls.SecretName) {
				errs = append(errs, field.Invalid(tlsPath.Child("secretName"), tls.SecretName, msg))
			}
		}
	}
	if spec.IngressClassName != nil {
		for _, msg := range apimachineryvalidation.NameIsDNSSubdomain(*spec.IngressClassName, false) {
			errs = append(errs, field.Invalid(fldPath.Child("ingressClassName"), *spec.IngressClassName, msg))
		}
	}
	return errs
}

// validateHost: a DNS subdomain, or a wildcard one ("*.example.com").
func validateHost(host string, fldPath *field.Path) field.ErrorList {
	check := validation.IsDNS1123Subdomain
	if strings.Contains(host, "*") {
		check = validation.IsWildcardDNS1123Subdomain
	}
	var errs field.ErrorList
	for _, msg := range check(host) {
		errs = append(errs, field.Invalid(fldPath, host, msg))
	}
	return errs
}

func validateRule(r *networkingv1.IngressRule, fldPath *field.Path, opts ingressOptions) field.ErrorList {
	var errs field.ErrorList
	wildcard := false
	if r.Host != "" {
		if net.ParseIP(r.Host) != nil {
			errs = append(errs, field.Invalid(fldPath.Child("host"), r.Host, "must be a DNS name, not an IP address"))
		}
		wildcard = strings.Contains(r.Host, "*")
		errs = append(errs, validateHost(r.Host, fldPath.Child("host"))...)
	}
	if !wildcard || !opts.allowInvalidWildcardHostRule {
		errs = append(errs, validateRuleValue(&r.IngressRuleValue, fldPath)...)
	}
	return errs
}

func validateRuleValue(v *networkingv1.IngressRuleValue, fldPath *field.Path) field.ErrorList {
	if v.HTTP == nil {
		return nil
	}
	var errs field.ErrorList
	httpPath := fldPath.Child("http")
	if len(v.HTTP.Paths) == 0 {
		errs = append(errs, field.Required(httpPath.Child("paths"), ""))
	}
	for i := range v.HTTP.Paths {
		errs = append(errs, validatePath(&v.HTTP.Paths[i], httpPath.Child("paths").Index(i))...)
	}
	return errs
}

func validatePath(p *networkingv1.HTTPIngressPath, fldPath *field.Path) field.ErrorList {
	if p.PathType == nil {
		return field.ErrorList{field.Required(fldPath.Child("pathType"), "pathType must be specified")}
	}
	var errs field.ErrorList
	pathPath := fldPath.Child("path")
	switch *p.PathType {
	case networkingv1.PathTypeExact, networkingv1.PathTypePrefix:
		if !strings.HasPrefix(p.Path, "/") {
			errs = append(errs, field.Invalid(pathPath, p.Path, "must be an absolute path"))
		}
		for _, seq := range invalidPathSequences {
			if strings.Contains(p.Path, seq) {
				errs = append(errs, field.Invalid(pathPath, p.Path, fmt.Sprintf("must not contain '%s'", seq)))
			}
		}
		for _, suffix := range invalidPathSuffixes {
			if strings.HasSuffix(p.Path, suffix) {
				errs = append(errs, field.Invalid(pathPath, p.Path, fmt.Sprintf("cannot end with '%s'", suffix)))
			}
		}
	case networkingv1.PathTypeImplementationSpecific:
		if p.Path != "" && !strings.HasPrefix(p.Path, "/") {
			errs = append(errs, field.Invalid(pathPath, p.Path, "must be an absolute path"))
		}
	default:
		errs = append(errs, field.NotSupported(fldPath.Child("pathType"), *p.PathType, pathTypes))
	}
	return append(errs, validateBackend(&p.Backend, fldPath.Child("backend"))...)
}

// validateBackend: a service (by port name or number) or a resource.
func validateBackend(b *networkingv1.IngressBackend, fldPath *field.Path) field.ErrorList {
	switch {
	case b.Resource != nil && b.Service != nil:
		return field.ErrorList{field.Invalid(fldPath, "", "cannot set both resource and service backends")}
	case b.Resource != nil:
		return validateLocalReference(b.Resource.APIGroup, b.Resource.Kind, b.Resource.Name, fldPath.Child("resource"))
	case b.Service == nil:
		return field.ErrorList{field.Invalid(fldPath, "", "resource or service backend is required")}
	}
	var errs field.ErrorList
	svc := b.Service
	if svc.Name == "" {
		errs = append(errs, field.Required(fldPath.Child("service", "name"), ""))
	} else {
		for _, msg := range apimachineryvalidation.NameIsDNS1035Label(svc.Name, false) {
			errs = append(errs, field.Invalid(fldPath.Child("service", "name"), svc.Name, msg))
		}
	}
	portPath := fldPath.Child("service", "port")
	switch hasName, hasNumber := svc.Port.Name != "", svc.Port.Number != 0; {
	case hasName && hasNumber:
		errs = append(errs, field.Invalid(fldPath, "", "cannot set both port name & port number"))
	case hasName:
		for _, msg := range validation.IsValidPortName(svc.Port.Name) {
			errs = append(errs, field.Invalid(portPath.Child("name"), svc.Port.Name, msg))
		}
	case hasNumber:
		for _, msg := range validation.IsValidPortNum(int(svc.Port.Number)) {
			errs = append(errs, field.Invalid(portPath.Child("number"), svc.Port.Number, msg))
		}
	default:
		errs = append(errs, field.Required(fldPath, "port name or number is required"))
	}
	return errs
}

// validateLocalReference checks a typed reference's group, kind and name.
func validateLocalReference(apiGroup *string, kind, name string, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	if apiGroup != nil {
		for _, msg := range validname.IsDNS1123Subdomain(*apiGroup) {
			errs = append(errs, field.Invalid(fldPath.Child("apiGroup"), *apiGroup, msg))
		}
	}
	if kind == "" {
		errs = append(errs, field.Required(fldPath.Child("kind"), "kind is required"))
	}
	for _, msg := range pathSegmentErrors(kind) {
		errs = append(errs, field.Invalid(fldPath.Child("kind"), kind, msg))
	}
	if name == "" {
		errs = append(errs, field.Required(fldPath.Child("name"), "name is required"))
	}
	for _, msg := range pathSegmentErrors(name) {
		errs = append(errs, field.Invalid(fldPath.Child("name"), name, msg))
	}
	return errs
}

func pathSegmentErrors(s string) []string {
	if s == "" {
		return nil
	}
	return path.IsValidPathSegmentName(s)
}

func secretNameErrors(name string) []string {
	if name == "" {
		return nil
	}
	return apimachineryvalidation.NameIsDNSSubdomain(name, false)
}

func hasInvalidSecretName(ing *networkingv1.Ingress) bool {
	for _, tls := range ing.Spec.TLS {
		if len(secretNameErrors(tls.SecretName)) > 0 {
			return true
		}
	}
	return false
}

func hasInvalidWildcardRule(ing *networkingv1.Ingress) bool {
	for _, r := range ing.Spec.Rules {
		if strings.Contains(r.Host, "*") && len(validateRuleValue(&r.IngressRuleValue, field.NewPath("x"))) > 0 {
			return true
		}
	}
	return false
}
