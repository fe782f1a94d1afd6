package networking

import (
	"context"
	"testing"

	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/skiff-dev/skiff/apiserver/storage"
)

func ingress() *networkingv1.Ingress {
	prefix := networkingv1.PathTypePrefix
	return &networkingv1.Ingress{
		ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "default", CreationTimestamp: created},
		Spec: networkingv1.IngressSpec{
			IngressClassName: ptr("nginx"),
			Rules: []networkingv1.IngressRule{{
				Host: "shop.example.com",
				IngressRuleValue: networkingv1.IngressRuleValue{HTTP: &networkingv1.HTTPIngressRuleValue{Paths: []networkingv1.HTTPIngressPath{{
					Path: "/", PathType: &prefix,
					Backend: networkingv1.IngressBackend{Service: &networkingv1.IngressServiceBackend{Name: "web", Port: networkingv1.ServiceBackendPort{Number: 80}}},
				}}}},
			}},
		},
	}
}

func TestIngressValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*networkingv1.Ingress)
		want   []string
	}{
		{"valid", func(*networkingv1.Ingress) {}, nil},
		{"nothing to route", func(i *networkingv1.Ingress) { i.Spec.Rules = nil }, []string{
			"spec: Invalid value: []v1.IngressRule(nil): either `defaultBackend` or `rules` must be specified"}},
		{"no path type", func(i *networkingv1.Ingress) { i.Spec.Rules[0].HTTP.Paths[0].PathType = nil }, []string{
			"spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified"}},
		{"unknown path type", func(i *networkingv1.Ingress) {
			i.Spec.Rules[0].HTTP.Paths[0].PathType = ptr(networkingv1.PathType("Regex"))
		}, []string{
			`spec.rules[0].http.paths[0].pathType: Unsupported value: "Regex": supported values: "Exact", "ImplementationSpecific", "Prefix"`}},
		{"relative path", func(i *networkingv1.Ingress) { i.Spec.Rules[0].HTTP.Paths[0].Path = "api//v1/.." }, []string{
			`spec.rules[0].http.paths[0].path: Invalid value: "api//v1/..": must be an absolute path`,
			`spec.rules[0].http.paths[0].path: Invalid value: "api//v1/..": must not contain '//'`,
			`spec.rules[0].http.paths[0].path: Invalid value: "api//v1/..": cannot end with '/..'`,
		}},
		{"ip host", func(i *networkingv1.Ingress) { i.Spec.Rules[0].Host = "10.0.0.1" }, []string{
			`spec.rules[0].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address`}},
		{"wildcard host", func(i *networkingv1.Ingress) { i.Spec.Rules[0].Host = "*.example.com" }, nil},
		{"backend port", func(i *networkingv1.Ingress) {
			i.Spec.Rules[0].HTTP.Paths[0].Backend.Service.Port = networkingv1.ServiceBackendPort{Name: "http", Number: 80}
		}, []string{`spec.rules[0].http.paths[0].backend: Invalid value: "": cannot set both port name & port number`}},
		{"backend missing", func(i *networkingv1.Ingress) { i.Spec.Rules[0].HTTP.Paths[0].Backend = networkingv1.IngressBackend{} }, []string{
			`spec.rules[0].http.paths[0].backend: Invalid value: "": resource or service backend is required`}},
		{"no port", func(i *networkingv1.Ingress) {
			i.Spec.Rules[0].HTTP.Paths[0].Backend.Service.Port = networkingv1.ServiceBackendPort{}
		}, []string{
			"spec.rules[0].http.paths[0].backend: Required value: port name or number is required"}},
		{"tls", func(i *networkingv1.Ingress) {
			i.Spec.TLS = []networkingv1.IngressTLS{{Hosts: []string{"Shop.example.com"}, SecretName: "tls_secret"}}
		}, []string{
			`spec.tls[0].hosts[0]: Invalid value: "Shop.example.com": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
			`spec.tls[0].secretName: Invalid value: "tls_secret": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
		}},
		{"class annotation mismatch", func(i *networkingv1.Ingress) {
			i.Annotations = map[string]string{"kubernetes.io/ingress.class": "traefik"}
		}, []string{`annotations.kubernetes.io/ingress.class: Invalid value: "traefik": must match ` + "`ingressClassName` when both are specified"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			i := ingress()
			tt.mutate(i)
			expectErrors(t, ingressStrategy{}.Validate(context.Background(), i), tt.want...)
		})
	}
}

func TestIngressUpdate(t *testing.T) {
	ctx := context.Background()
	old := ingress()
	old.Spec.TLS = []networkingv1.IngressTLS{{SecretName: "Legacy_Name"}}
	upd := old.DeepCopy()
	upd.Spec.Rules[0].Host = "new.example.com"
	expectErrors(t, ingressStrategy{}.ValidateUpdate(ctx, upd, old)) // the stored bad secret name is tolerated
	fresh := ingress()
	ingressStrategy{}.PrepareForCreate(ctx, fresh)
	if fresh.Generation != 1 {
		t.Fatalf("generation %d", fresh.Generation)
	}

	st := ingress()
	st.Status.LoadBalancer.Ingress = []networkingv1.IngressLoadBalancerIngress{{IP: "10.0.0.300"}, {Hostname: "192.168.1.1"}}
	expectErrors(t, ingressStatusStrategy{}.ValidateUpdate(ctx, st, ingress()),
		`status.loadBalancer.ingress[0].ip: Invalid value: "10.0.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)`,
		`status.loadBalancer.ingress[1].hostname: Invalid value: "192.168.1.1": must be a DNS name, not an IP address`)
}

func TestIngressTable(t *testing.T) {
	i := ingress()
	i.Spec.TLS = []networkingv1.IngressTLS{{Hosts: []string{"shop.example.com"}}}
	i.Status.LoadBalancer.Ingress = []networkingv1.IngressLoadBalancerIngress{{IP: "203.0.113.10"}, {Hostname: "lb.example.com"}}
	many := ingress()
	many.Name = "many"
	many.Spec.IngressClassName = nil
	for _, h := range []string{"", "a.example.com", "b.example.com", "c.example.com"} {
		many.Spec.Rules = append(many.Spec.Rules, networkingv1.IngressRule{Host: h})
	}
	table, _ := ingressTable(fixedNow)([]storage.Object{i, many}, false)
	checkTable(t, table, []string{"Name", "Class", "Hosts", "Address", "Ports", "Age"},
		[]any{"web", "nginx", "shop.example.com", "203.0.113.10,...", "80, 443", "3h"},
		[]any{"many", "<none>", "shop.example.com,a.example.com,b.example.com + 2 more...", "", "80", "3h"})
	wide, _ := ingressTable(fixedNow)([]storage.Object{i}, true)
	if wide.Rows[0].Cells[3] != "203.0.113.10,lb.example.com" {
		t.Fatalf("wide address %v", wide.Rows[0].Cells[3])
	}
}
