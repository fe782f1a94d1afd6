package service

import (
	"context"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

func TestValidateService(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(s *corev1.Service)
		want   []string
	}{
		{"valid", nil, nil},
		{"no ports", func(s *corev1.Service) { s.Spec.Ports = nil }, []string{"spec.ports: Required value"}},
		{"headless needs no ports", func(s *corev1.Service) { s.Spec.Ports = nil; s.Spec.ClusterIP = "None" }, nil},
		{"port fields", func(s *corev1.Service) {
			s.Spec.Ports = []corev1.ServicePort{{Port: 0, Protocol: "HTTP", TargetPort: intstr.FromInt32(70000)}}
		}, []string{
			"spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive",
			`spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"`,
			"spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
		}},
		{"names with several ports", func(s *corev1.Service) {
			s.Spec.Ports = []corev1.ServicePort{{Port: 80}, {Name: "Web", Port: 81}, {Name: "a", Port: 82}, {Name: "a", Port: 83}}
		}, []string{
			"spec.ports[0].name: Required value",
			`spec.ports[1].name: Invalid value: "Web": a lowercase RFC 1123 label`,
			`spec.ports[3].name: Duplicate value: "a"`,
		}},
		{"duplicate port", func(s *corev1.Service) {
			s.Spec.Ports = []corev1.ServicePort{{Name: "a", Port: 80}, {Name: "b", Port: 80}}
		}, []string{`spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`}},
		{"named target port", func(s *corev1.Service) { s.Spec.Ports[0].TargetPort = intstr.FromString("http-web") }, nil},
		{"node port on ClusterIP", func(s *corev1.Service) { s.Spec.Ports[0].NodePort = 30080 },
			[]string{"spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"}},
		{"type", func(s *corev1.Service) { s.Spec.Type = "Internal" }, []string{
			`spec.type: Unsupported value: "Internal": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"`}},
		{"cluster IP", func(s *corev1.Service) { s.Spec.ClusterIP = "10.0.0.300"; s.Spec.ClusterIPs = []string{"10.0.0.300"} },
			[]string{`spec.clusterIPs[0]: Invalid value: "10.0.0.300": must be a valid IP address`}},
		{"cluster IPs must match", func(s *corev1.Service) { s.Spec.ClusterIP = "10.0.0.5"; s.Spec.ClusterIPs = []string{"10.0.0.6"} },
			[]string{`spec.clusterIPs: Invalid value: []string{"10.0.0.6"}: first value must match ` + "`clusterIP`"}},
		{"external name", func(s *corev1.Service) {
			s.Spec.Type = corev1.ServiceTypeExternalName
			s.Spec.ExternalName = "Not_A_Host"
			s.Spec.ClusterIPs = []string{"10.0.0.1"}
			s.Spec.ClusterIP = "10.0.0.1"
		}, []string{
			"spec.clusterIPs: Forbidden: may not be set for ExternalName services",
			`spec.externalName: Invalid value: "Not_A_Host": a lowercase RFC 1123 subdomain`,
		}},
		{"external name required", func(s *corev1.Service) { s.Spec.Type = corev1.ServiceTypeExternalName },
			[]string{"spec.externalName: Required value"}},
		{"external name fqdn", func(s *corev1.Service) {
			s.Spec.Type = corev1.ServiceTypeExternalName
			s.Spec.ExternalName = "db.example.com."
		}, nil},
		{"selector", func(s *corev1.Service) { s.Spec.Selector = map[string]string{"app": "bad value!"} },
			[]string{`spec.selector: Invalid value: "bad value!"`}},
		{"session affinity", func(s *corev1.Service) { s.Spec.SessionAffinity = "Cookie" },
			[]string{`spec.sessionAffinity: Unsupported value: "Cookie": supported values: "ClientIP", "None"`}},
		{"session affinity timeout", func(s *corev1.Service) {
			s.Spec.SessionAffinity = corev1.ServiceAffinityClientIP
			s.Spec.SessionAffinityConfig = &corev1.SessionAffinityConfig{ClientIP: &corev1.ClientIPConfig{TimeoutSeconds: ptr[int32](90000)}}
		}, []string{"spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 90000: must be greater than 0 and less than 86400"}},
		{"external IPs", func(s *corev1.Service) { s.Spec.ExternalIPs = []string{"bad", "127.0.0.1", "192.0.2.7"} }, []string{
			`spec.externalIPs[0]: Invalid value: "bad": must be a valid IP address`,
			`spec.externalIPs[1]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)`,
		}},
		{"source ranges need a load balancer", func(s *corev1.Service) { s.Spec.LoadBalancerSourceRanges = []string{"10.0.0.0/8", "nope"} }, []string{
			"spec.LoadBalancerSourceRanges: Forbidden: may only be used when `type` is 'LoadBalancer'",
			`spec.LoadBalancerSourceRanges[1]: Invalid value: "nope": must be a valid CIDR value`,
		}},
		{"traffic policies", func(s *corev1.Service) {
			s.Spec.ExternalTrafficPolicy = corev1.ServiceExternalTrafficPolicyLocal
			s.Spec.InternalTrafficPolicy = ptr(corev1.ServiceInternalTrafficPolicy("Node"))
		}, []string{
			`spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services`,
			`spec.internalTrafficPolicy: Unsupported value: "Node": supported values: "Cluster", "Local"`,
		}},
		{"headless load balancer", func(s *corev1.Service) { s.Spec.Type = corev1.ServiceTypeLoadBalancer; s.Spec.ClusterIP = "None" },
			[]string{`spec.clusterIPs[0]: Invalid value: "None": may not be set to 'None' for LoadBalancer services`}},
		{"load balancer class on ClusterIP", func(s *corev1.Service) { s.Spec.LoadBalancerClass = ptr("example.com/lb") },
			[]string{"spec.loadBalancerClass: Forbidden: may only be used when `type` is 'LoadBalancer'"}},
		{"local load balancer needs a health check port", func(s *corev1.Service) {
			s.Spec.Type = corev1.ServiceTypeLoadBalancer
			s.Spec.ExternalTrafficPolicy = corev1.ServiceExternalTrafficPolicyLocal
		}, []string{"spec.healthCheckNodePort: Required value"}},
		{"traffic distribution", func(s *corev1.Service) { s.Spec.TrafficDistribution = ptr("Nearby") },
			[]string{`spec.trafficDistribution: Unsupported value: "Nearby": supported values: "PreferClose"`}},
		{"dual stack on a single-stack cluster", func(s *corev1.Service) { s.Spec.IPFamilyPolicy = ptr(corev1.IPFamilyPolicyRequireDualStack) },
			[]string{`spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services`}},
		{"family not configured", func(s *corev1.Service) { s.Spec.IPFamilies = []corev1.IPFamily{corev1.IPv6Protocol} },
			[]string{`spec.ipFamilies[0]: Invalid value: "IPv6": not configured on this cluster`}},
		{"IPv6 cluster IP on an IPv4 cluster", func(s *corev1.Service) { s.Spec.ClusterIP = "fd00::10" },
			[]string{`spec.clusterIPs[0]: Invalid value: []string{"fd00::10"}: IPv6 is not configured on this cluster`}},
		{"two families need dual stack", func(s *corev1.Service) { s.Spec.IPFamilies = []corev1.IPFamily{"IPv4", "IPv6"} },
			[]string{`spec.ipFamilyPolicy: Invalid value: "SingleStack": must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc := newService(tt.mutate)
			expectErrors(t, ipv4.Validate(context.Background(), svc), tt.want...)
		})
	}
}

func TestValidateName(t *testing.T) {
	if errs := ipv4.ValidateName("web-1", false); len(errs) != 0 {
		t.Errorf("web-1: %v", errs)
	}
	if errs := ipv4.ValidateName("1web", false); len(errs) == 0 {
		t.Error("names are DNS-1035 labels: they start with a letter")
	}
	if errs := ipv4.ValidateName("web.example", false); len(errs) == 0 {
		t.Error("dots are not allowed")
	}
}
