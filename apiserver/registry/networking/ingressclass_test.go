package networking

import (
	"context"
	"strings"
	"testing"

	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/skiff-dev/skiff/apiserver/storage"
)

func ingressClass() *networkingv1.IngressClass {
	ic := &networkingv1.IngressClass{
		ObjectMeta: metav1.ObjectMeta{Name: "nginx", CreationTimestamp: created},
		Spec: networkingv1.IngressClassSpec{
			Controller: "k8s.io/ingress-nginx",
			Parameters: &networkingv1.IngressClassParametersReference{APIGroup: ptr("k8s.example.com"), Kind: "IngressParameters", Name: "external-lb"},
		},
	}
	ingressClassStrategy{}.Default(ic)
	return ic
}

func TestIngressClassValidate(t *testing.T) {
	if s := ingressClass().Spec.Parameters.Scope; s == nil || *s != "Cluster" {
		t.Fatalf("scope default %v", s)
	}
	tests := []struct {
		name   string
		mutate func(*networkingv1.IngressClass)
		want   []string
	}{
		{"valid", func(*networkingv1.IngressClass) {}, nil},
		{"no controller", func(ic *networkingv1.IngressClass) { ic.Spec.Controller = "" }, []string{"spec.controller: Required value"}},
		{"controller not domain prefixed", func(ic *networkingv1.IngressClass) { ic.Spec.Controller = "nginx" }, []string{
			`spec.controller: Invalid value: "nginx": must be a domain-prefixed path (such as "acme.io/foo")`}},
		{"long controller", func(ic *networkingv1.IngressClass) { ic.Spec.Controller = "example.com/" + strings.Repeat("a", 250) }, []string{
			"spec.controller: Too long: must have at most 250 bytes"}},
		{"namespace scope without namespace", func(ic *networkingv1.IngressClass) { ic.Spec.Parameters.Scope = ptr("Namespace") }, []string{
			"spec.parameters.namespace: Required value: `parameters.scope` is set to 'Namespace'"}},
		{"cluster scope with namespace", func(ic *networkingv1.IngressClass) { ic.Spec.Parameters.Namespace = ptr("default") }, []string{
			"spec.parameters.namespace: Forbidden: `parameters.scope` is set to 'Cluster'"}},
		{"reference", func(ic *networkingv1.IngressClass) { ic.Spec.Parameters.Kind, ic.Spec.Parameters.Name = "", "a/b" }, []string{
			"spec.parameters.kind: Required value: kind is required",
			`spec.parameters.name: Invalid value: "a/b": may not contain '/'`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ic := ingressClass()
			tt.mutate(ic)
			expectErrors(t, ingressClassStrategy{}.Validate(context.Background(), ic), tt.want...)
		})
	}
	upd := ingressClass()
	upd.Spec.Controller = "example.com/other"
	expectErrors(t, ingressClassStrategy{}.ValidateUpdate(context.Background(), upd, ingressClass()),
		`spec.controller: Invalid value: "example.com/other": field is immutable`)
}

func TestIngressClassTable(t *testing.T) {
	plain := ingressClass()
	plain.Name, plain.Spec.Parameters = "plain", nil
	table, _ := ingressClassTable(fixedNow)([]storage.Object{ingressClass(), plain}, true)
	checkTable(t, table, []string{"Name", "Controller", "Parameters", "Age"},
		[]any{"nginx", "k8s.io/ingress-nginx", "IngressParameters.k8s.example.com/external-lb", "3h"},
		[]any{"plain", "k8s.io/ingress-nginx", "<none>", "3h"})
}
