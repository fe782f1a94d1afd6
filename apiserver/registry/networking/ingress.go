package networking

import (
	"context"
	"fmt"
	"net"
	"slices"
	"strings"
	"time"

	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/registry/validname"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

// ingressClassAnnotation is the legacy way to name an ingress's class.
const ingressClassAnnotation = "kubernetes.io/ingress.class"

func ingressResource(now func() time.Time) *registry.Resource {
	return &registry.Resource{
		GVR:           networkingv1.SchemeGroupVersion.WithResource("ingresses"),
		Kind:          "Ingress",
		SingularName:  "ingress",
		Namespaced:    true,
		ShortNames:    []string{"ing"},
		StoragePrefix: "ingress",
		New:           func() storage.Object { return &networkingv1.Ingress{} },
		NewList:       func() runtime.Object { return &networkingv1.IngressList{} },
		Strategy:      ingressStrategy{},
		Status:        ingressStatusStrategy{},
		Table:         ingressTable(now),
	}
}

// ingressStrategy: status is the controller's; generation moves with the
// spec.
type ingressStrategy struct{ registry.WithStatus }

func (ingressStrategy) Validate(_ context.Context, obj storage.Object) field.ErrorList {
	ing := obj.(*networkingv1.Ingress)
	errs := validateIngressSpec(&ing.Spec, field.NewPath("spec"), ingressOptions{})
	if v, set := ing.Annotations[ingressClassAnnotation]; set && ing.Spec.IngressClassName != nil && v != *ing.Spec.IngressClassName {
		errs = append(errs, field.Invalid(field.NewPath("annotations").Child(ingressClassAnnotation), v, "must match `ingressClassName` when both are specified"))
	}
	return errs
}

// ValidateUpdate tolerates what the stored ingress already got away with
// (invalid TLS secret names, invalid rules under wildcard hosts).
func (ingressStrategy) ValidateUpdate(_ context.Context, obj, old storage.Object) field.ErrorList {
	o := old.(*networkingv1.Ingress)
	opts := ingressOptions{allowInvalidSecretName: hasInvalidSecretName(o), allowInvalidWildcardHostRule: hasInvalidWildcardRule(o)}
	return validateIngressSpec(&obj.(*networkingv1.Ingress).Spec, field.NewPath("spec"), opts)
}

type ingressStatusStrategy struct{ registry.StatusOnly }

func (ingressStatusStrategy) ValidateUpdate(_ context.Context, obj, _ storage.Object) field.ErrorList {
	var errs field.ErrorList
	path := field.NewPath("status", "loadBalancer", "ingress")
	for i, lb := range obj.(*networkingv1.Ingress).Status.LoadBalancer.Ingress {
		p := path.Index(i)
		if lb.IP != "" {
			errs = append(errs, validation.IsValidIP(p.Child("ip"), lb.IP)...)
		}
		if lb.Hostname != "" {
			for _, msg := range validname.IsDNS1123Subdomain(lb.Hostname) {
				errs = append(errs, field.Invalid(p.Child("hostname"), lb.Hostname, msg))
			}
			if net.ParseIP(lb.Hostname) != nil {
				errs = append(errs, field.Invalid(p.Child("hostname"), lb.Hostname, "must be a DNS name, not an IP address"))
			}
		}
	}
	return errs
}

var ingressColumns = []metav1.TableColumnDefinition{
	registry.NameColumn,
	{Name: "Class", Type: "string", Description: "The name of the IngressClass resource that should be used for additional configuration"},
	{Name: "Hosts", Type: "string", Description: "Hosts that incoming requests are matched against before the ingress rule"},
	{Name: "Address", Type: "string", Description: "Address is a list containing ingress points for the load-balancer"},
	{Name: "Ports", Type: "string", Description: "Ports of TLS configurations that open"},
	registry.AgeColumn,
}

// ingressTable has the same columns wide or not, but a narrow ADDRESS is
// clipped, so it picks one of two tables.
func ingressTable(now func() time.Time) registry.TableFunc {
	narrow, full := registry.Rows(ingressColumns, now, ingressRow(false)), registry.Rows(ingressColumns, now, ingressRow(true))
	return func(objs []storage.Object, wide bool) (*metav1.Table, error) {
		if wide {
			return full(objs, wide)
		}
		return narrow(objs, wide)
	}
}

func ingressRow(wide bool) registry.RowFunc {
	return func(obj storage.Object, now time.Time) ([]any, error) {
		ing := obj.(*networkingv1.Ingress)
		class := "<none>"
		if ing.Spec.IngressClassName != nil {
			class = *ing.Spec.IngressClassName
		}
		ports := "80"
		if len(ing.Spec.TLS) != 0 {
			ports = "80, 443"
		}
		return []any{ing.Name, class, ingressHosts(ing.Spec.Rules), ingressAddress(ing.Status.LoadBalancer, wide), ports, registry.Age(ing.CreationTimestamp, now)}, nil
	}
}

// ingressHosts lists up to three rule hosts, "*" when none is named.
func ingressHosts(rules []networkingv1.IngressRule) string {
	const max = 3
	var list []string
	for _, r := range rules {
		if len(list) < max && r.Host != "" {
			list = append(list, r.Host)
		}
	}
	switch {
	case len(list) == 0:
		return "*"
	case len(rules) > max:
		return fmt.Sprintf("%s + %d more...", strings.Join(list, ","), len(rules)-max)
	}
	return strings.Join(list, ",")
}

// ingressAddress lists the load balancer's IPs or hostnames, sorted and
// clipped to 16 bytes unless wide, as kubectl shows them.
func ingressAddress(lb networkingv1.IngressLoadBalancerStatus, wide bool) string {
	var addrs []string
	for _, in := range lb.Ingress {
		a := in.IP
		if a == "" {
			a = in.Hostname
		}
		if a != "" && !slices.Contains(addrs, a) {
			addrs = append(addrs, a)
		}
	}
	slices.Sort(addrs)
	s := strings.Join(addrs, ",")
	const width = 16
	if !wide && len(s) > width {
		s = s[:width-3] + "..."
	}
	return s
}
