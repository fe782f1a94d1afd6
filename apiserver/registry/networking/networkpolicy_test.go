package networking

import (
	"context"
	"testing"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/skiff-dev/skiff/apiserver/storage"
)

func policy() *networkingv1.NetworkPolicy {
	port := intstr.FromInt32(5432)
	np := &networkingv1.NetworkPolicy{
		ObjectMeta: metav1.ObjectMeta{Name: "db", Namespace: "default", CreationTimestamp: created},
		Spec: networkingv1.NetworkPolicySpec{
			PodSelector: metav1.LabelSelector{MatchLabels: map[string]string{"app": "db"}},
			Ingress: []networkingv1.NetworkPolicyIngressRule{{
				Ports: []networkingv1.NetworkPolicyPort{{Port: &port}},
				From:  []networkingv1.NetworkPolicyPeer{{PodSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}}}},
			}},
		},
	}
	networkPolicyStrategy{}.Default(np)
	return np
}

func TestNetworkPolicyDefaults(t *testing.T) {
	np := policy()
	if *np.Spec.Ingress[0].Ports[0].Protocol != corev1.ProtocolTCP || len(np.Spec.PolicyTypes) != 1 || np.Spec.PolicyTypes[0] != networkingv1.PolicyTypeIngress {
		t.Fatalf("defaults %+v", np.Spec)
	}
	egress := &networkingv1.NetworkPolicy{Spec: networkingv1.NetworkPolicySpec{Egress: []networkingv1.NetworkPolicyEgressRule{{}}}}
	networkPolicyStrategy{}.Default(egress)
	if len(egress.Spec.PolicyTypes) != 2 || egress.Spec.PolicyTypes[1] != networkingv1.PolicyTypeEgress {
		t.Fatalf("egress policy types %v", egress.Spec.PolicyTypes)
	}
}

func TestNetworkPolicyValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*networkingv1.NetworkPolicy)
		want   []string
	}{
		{"valid", func(*networkingv1.NetworkPolicy) {}, nil},
		{"port range", func(np *networkingv1.NetworkPolicy) {
			np.Spec.Ingress[0].Ports[0].EndPort = ptr[int32](5000)
		}, []string{"spec.ingress[0].ports[0].endPort: Invalid value: 5432: must be greater than or equal to `port`"}},
		{"named port with range", func(np *networkingv1.NetworkPolicy) {
			p := intstr.FromString("pg")
			np.Spec.Ingress[0].Ports[0] = networkingv1.NetworkPolicyPort{Port: &p, EndPort: ptr[int32](6000), Protocol: ptr(corev1.Protocol("ICMP"))}
		}, []string{
			`spec.ingress[0].ports[0].protocol: Unsupported value: "ICMP": supported values: "TCP", "UDP", "SCTP"`,
			"spec.ingress[0].ports[0].endPort: Invalid value: 6000: may not be specified when `port` is non-numeric",
		}},
		{"empty peer", func(np *networkingv1.NetworkPolicy) {
			np.Spec.Ingress[0].From = []networkingv1.NetworkPolicyPeer{{}}
		}, []string{"spec.ingress[0].from[0]: Required value: must specify a peer"}},
		{"ipBlock and selector", func(np *networkingv1.NetworkPolicy) {
			np.Spec.Ingress[0].From[0].IPBlock = &networkingv1.IPBlock{CIDR: "10.0.0.0/8", Except: []string{"10.1.0.0/16", "192.168.0.0/24", "10.0.0.0/8"}}
		}, []string{
			`spec.ingress[0].from[0].ipBlock.except[1]: Invalid value: "192.168.0.0/24": must be a strict subset of ` + "`cidr`",
			`spec.ingress[0].from[0].ipBlock.except[2]: Invalid value: "10.0.0.0/8": must be a strict subset of ` + "`cidr`",
			"spec.ingress[0].from[0]: Forbidden: may not specify both ipBlock and another peer",
		}},
		{"bad cidr", func(np *networkingv1.NetworkPolicy) {
			np.Spec.Egress = []networkingv1.NetworkPolicyEgressRule{{To: []networkingv1.NetworkPolicyPeer{{IPBlock: &networkingv1.IPBlock{CIDR: "10.0.0.0/40"}}}}}
		}, []string{`spec.egress[0].to[0].ipBlock.cidr: Invalid value: "10.0.0.0/40": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)`}},
		{"policy types", func(np *networkingv1.NetworkPolicy) { np.Spec.PolicyTypes = []networkingv1.PolicyType{"Both"} }, []string{
			`spec.policyTypes[0]: Unsupported value: "Both": supported values: "Ingress", "Egress"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			np := policy()
			tt.mutate(np)
			expectErrors(t, networkPolicyStrategy{}.Validate(context.Background(), np), tt.want...)
		})
	}
}

func TestNetworkPolicyUpdateAndTable(t *testing.T) {
	ctx := context.Background()
	np := policy()
	networkPolicyStrategy{}.PrepareForCreate(ctx, np)
	if np.Generation != 1 {
		t.Fatalf("generation %d", np.Generation)
	}
	// A stored selector with an invalid label value may be kept.
	old := policy()
	bad := []metav1.LabelSelectorRequirement{{Key: "tier", Operator: metav1.LabelSelectorOpIn, Values: []string{"bad value"}}}
	old.Spec.PodSelector.MatchExpressions = bad
	upd := old.DeepCopy()
	upd.Spec.Ingress[0].From[0].PodSelector.MatchExpressions = bad
	expectErrors(t, networkPolicyStrategy{}.ValidateUpdate(ctx, upd, old))
	if errs := (networkPolicyStrategy{}).Validate(ctx, upd); len(errs) != 2 {
		t.Fatalf("create accepted invalid selector values: %v", errs)
	}

	all := policy()
	all.Name = "all"
	all.Spec.PodSelector = metav1.LabelSelector{}
	table, _ := networkPolicyTable(fixedNow)([]storage.Object{np, all}, true)
	checkTable(t, table, []string{"Name", "Pod-Selector", "Age"}, []any{"db", "app=db", "3h"}, []any{"all", "<none>", "3h"})
}
