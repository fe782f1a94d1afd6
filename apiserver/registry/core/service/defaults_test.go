package service

import (
	"context"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

func TestDefaultService(t *testing.T) {
	tests := []struct {
		name  string
		in    corev1.ServiceSpec
		check func(t *testing.T, s corev1.ServiceSpec)
	}{
		{"cluster IP", corev1.ServiceSpec{Ports: []corev1.ServicePort{{Port: 80}, {Port: 53, Protocol: "UDP", TargetPort: intstr.FromString("dns")}}},
			func(t *testing.T, s corev1.ServiceSpec) {
				if s.Type != corev1.ServiceTypeClusterIP || s.SessionAffinity != corev1.ServiceAffinityNone || s.SessionAffinityConfig != nil {
					t.Errorf("spec %+v", s)
				}
				if s.Ports[0].Protocol != "TCP" || s.Ports[0].TargetPort != intstr.FromInt32(80) || s.Ports[1].TargetPort.StrVal != "dns" {
					t.Errorf("ports %+v", s.Ports)
				}
				if *s.InternalTrafficPolicy != corev1.ServiceInternalTrafficPolicyCluster || s.ExternalTrafficPolicy != "" {
					t.Errorf("traffic policies %v %q", *s.InternalTrafficPolicy, s.ExternalTrafficPolicy)
				}
				if s.AllocateLoadBalancerNodePorts != nil {
					t.Error("allocateLoadBalancerNodePorts on a ClusterIP service")
				}
			}},
		{"client IP affinity", corev1.ServiceSpec{SessionAffinity: corev1.ServiceAffinityClientIP},
			func(t *testing.T, s corev1.ServiceSpec) {
				if *s.SessionAffinityConfig.ClientIP.TimeoutSeconds != 10800 {
					t.Errorf("timeout %d", *s.SessionAffinityConfig.ClientIP.TimeoutSeconds)
				}
			}},
		{"none affinity drops config", corev1.ServiceSpec{SessionAffinityConfig: &corev1.SessionAffinityConfig{}},
			func(t *testing.T, s corev1.ServiceSpec) {
				if s.SessionAffinityConfig != nil {
					t.Error("config kept")
				}
			}},
		{"load balancer", corev1.ServiceSpec{Type: corev1.ServiceTypeLoadBalancer},
			func(t *testing.T, s corev1.ServiceSpec) {
				if s.ExternalTrafficPolicy != corev1.ServiceExternalTrafficPolicyCluster || !*s.AllocateLoadBalancerNodePorts {
					t.Errorf("spec %+v", s)
				}
			}},
		{"external IPs make it external", corev1.ServiceSpec{ExternalIPs: []string{"192.0.2.1"}},
			func(t *testing.T, s corev1.ServiceSpec) {
				if s.ExternalTrafficPolicy != corev1.ServiceExternalTrafficPolicyCluster {
					t.Errorf("externalTrafficPolicy %q", s.ExternalTrafficPolicy)
				}
			}},
		{"external name", corev1.ServiceSpec{Type: corev1.ServiceTypeExternalName, ExternalName: "example.com"},
			func(t *testing.T, s corev1.ServiceSpec) {
				if s.InternalTrafficPolicy != nil || s.ExternalTrafficPolicy != "" {
					t.Errorf("traffic policies on ExternalName: %+v", s)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc := &corev1.Service{Spec: tt.in}
			defaultService(svc)
			tt.check(t, svc.Spec)
		})
	}
}

func TestDefaultIngressIPMode(t *testing.T) {
	svc := &corev1.Service{Spec: corev1.ServiceSpec{Type: corev1.ServiceTypeLoadBalancer}}
	svc.Status.LoadBalancer.Ingress = []corev1.LoadBalancerIngress{{IP: "192.0.2.10"}, {Hostname: "lb.example.com"}}
	defaultService(svc)
	if m := svc.Status.LoadBalancer.Ingress[0].IPMode; m == nil || *m != corev1.LoadBalancerIPModeVIP {
		t.Errorf("ipMode %v", m)
	}
	if svc.Status.LoadBalancer.Ingress[1].IPMode != nil {
		t.Error("ipMode on a hostname ingress")
	}
}

func TestIPFamilyDefaults(t *testing.T) {
	tests := []struct {
		name     string
		mutate   func(s *corev1.Service)
		policy   corev1.IPFamilyPolicy
		families []corev1.IPFamily
	}{
		{"cluster IP", nil, corev1.IPFamilyPolicySingleStack, []corev1.IPFamily{"IPv4"}},
		{"headless with selector", func(s *corev1.Service) { s.Spec.ClusterIP = "None" }, corev1.IPFamilyPolicySingleStack, []corev1.IPFamily{"IPv4"}},
		{"headless without selector", func(s *corev1.Service) { s.Spec.ClusterIP = "None"; s.Spec.Selector = nil },
			corev1.IPFamilyPolicyRequireDualStack, []corev1.IPFamily{"IPv4", "IPv6"}},
		{"prefer dual stack on single stack", func(s *corev1.Service) { s.Spec.IPFamilyPolicy = ptr(corev1.IPFamilyPolicyPreferDualStack) },
			corev1.IPFamilyPolicyPreferDualStack, []corev1.IPFamily{"IPv4"}},
		{"from cluster IP", func(s *corev1.Service) { s.Spec.ClusterIP = "10.0.0.20" }, corev1.IPFamilyPolicySingleStack, []corev1.IPFamily{"IPv4"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc := newService(tt.mutate)
			if *svc.Spec.IPFamilyPolicy != tt.policy || len(svc.Spec.IPFamilies) != len(tt.families) {
				t.Fatalf("policy %v families %v", *svc.Spec.IPFamilyPolicy, svc.Spec.IPFamilies)
			}
			for i := range tt.families {
				if svc.Spec.IPFamilies[i] != tt.families[i] {
					t.Errorf("families %v", svc.Spec.IPFamilies)
				}
			}
			expectErrors(t, ipv4.Validate(context.Background(), svc))
		})
	}
	ext := newService(func(s *corev1.Service) {
		s.Spec.Type = corev1.ServiceTypeExternalName
		s.Spec.ExternalName = "db.example.com"
	})
	if ext.Spec.IPFamilyPolicy != nil || ext.Spec.IPFamilies != nil || ext.Spec.ClusterIPs != nil {
		t.Errorf("ExternalName got IP fields: %+v", ext.Spec)
	}
}
