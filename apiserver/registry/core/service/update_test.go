package service

import (
	"context"
	"testing"

	corev1 "k8s.io/api/core/v1"
)

// allocated is a stored service with an address (the allocator's work).
func allocated(mutate func(s *corev1.Service)) *corev1.Service {
	return newService(func(s *corev1.Service) {
		s.Spec.ClusterIP = "10.0.0.10"
		if mutate != nil {
			mutate(s)
		}
	})
}

// update runs a PUT of body over old as the store does.
func update(old, body *corev1.Service) (*corev1.Service, []string) {
	svc := body.DeepCopy()
	ipv4.Default(svc)
	ipv4.PrepareForUpdate(context.Background(), svc, old)
	var msgs []string
	for _, e := range ipv4.ValidateUpdate(context.Background(), svc, old) {
		msgs = append(msgs, e.Error())
	}
	return svc, msgs
}

func TestServiceUpdate(t *testing.T) {
	t.Run("resubmitted manifest keeps the cluster IP", func(t *testing.T) {
		old := allocated(nil)
		body := &corev1.Service{ObjectMeta: old.ObjectMeta, Spec: corev1.ServiceSpec{Selector: map[string]string{"app": "v2"}, Ports: []corev1.ServicePort{{Port: 80}}}}
		svc, errs := update(old, body)
		if len(errs) != 0 || svc.Spec.ClusterIP != "10.0.0.10" || len(svc.Spec.ClusterIPs) != 1 || *svc.Spec.IPFamilyPolicy != corev1.IPFamilyPolicySingleStack {
			t.Errorf("errs %v spec %+v", errs, svc.Spec)
		}
	})
	t.Run("cluster IP may not change", func(t *testing.T) {
		old := allocated(nil)
		body := old.DeepCopy()
		body.Spec.ClusterIP = "10.0.0.11"
		_, errs := update(old, body)
		if len(errs) != 1 || errs[0] != `spec.clusterIPs[0]: Invalid value: []string{"10.0.0.11"}: may not change once set` {
			t.Errorf("errs %v", errs)
		}
	})
	t.Run("old client changing only clusterIP", func(t *testing.T) {
		old := allocated(nil)
		body := old.DeepCopy()
		body.Spec.ClusterIPs = nil
		svc, errs := update(old, body)
		if len(errs) != 0 || len(svc.Spec.ClusterIPs) != 1 {
			t.Errorf("errs %v clusterIPs %v", errs, svc.Spec.ClusterIPs)
		}
	})
	t.Run("to ExternalName clears the IP fields", func(t *testing.T) {
		old := allocated(nil)
		body := old.DeepCopy()
		body.Spec.Type = corev1.ServiceTypeExternalName
		body.Spec.ExternalName = "db.example.com"
		svc, errs := update(old, body)
		if len(errs) != 0 || svc.Spec.ClusterIP != "" || svc.Spec.ClusterIPs != nil || svc.Spec.IPFamilies != nil || svc.Spec.IPFamilyPolicy != nil {
			t.Errorf("errs %v spec %+v", errs, svc.Spec)
		}
	})
	t.Run("from ExternalName gets families", func(t *testing.T) {
		old := newService(func(s *corev1.Service) {
			s.Spec.Type = corev1.ServiceTypeExternalName
			s.Spec.ExternalName = "db.example.com"
		})
		body := old.DeepCopy()
		body.Spec.Type = corev1.ServiceTypeClusterIP
		body.Spec.ExternalName = ""
		svc, errs := update(old, body)
		if len(errs) != 0 || *svc.Spec.IPFamilyPolicy != corev1.IPFamilyPolicySingleStack || len(svc.Spec.IPFamilies) != 1 {
			t.Errorf("errs %v spec %+v", errs, svc.Spec)
		}
	})
	t.Run("node ports carry over and clear", func(t *testing.T) {
		old := allocated(func(s *corev1.Service) {
			s.Spec.Type = corev1.ServiceTypeNodePort
			s.Spec.Ports = []corev1.ServicePort{{Name: "http", Port: 80, NodePort: 30080}, {Name: "https", Port: 443, NodePort: 30443}}
		})
		body := old.DeepCopy()
		body.Spec.Ports[1].NodePort = 0
		svc, errs := update(old, body)
		if len(errs) != 0 || svc.Spec.Ports[1].NodePort != 30443 {
			t.Errorf("errs %v ports %+v", errs, svc.Spec.Ports)
		}
		body = old.DeepCopy()
		body.Spec.Type = corev1.ServiceTypeClusterIP
		svc, errs = update(old, body)
		if len(errs) != 0 || svc.Spec.Ports[0].NodePort != 0 || svc.Spec.ExternalTrafficPolicy != "" {
			t.Errorf("errs %v spec %+v", errs, svc.Spec)
		}
	})
	t.Run("load balancer to ClusterIP clears its fields and status", func(t *testing.T) {
		old := allocated(func(s *corev1.Service) {
			s.Spec.Type = corev1.ServiceTypeLoadBalancer
			s.Spec.Ports[0].NodePort = 31000
			s.Spec.LoadBalancerClass = ptr("example.com/lb")
		})
		old.Status.LoadBalancer.Ingress = []corev1.LoadBalancerIngress{{IP: "192.0.2.1"}}
		body := old.DeepCopy()
		body.Spec.Type = corev1.ServiceTypeClusterIP
		svc, errs := update(old, body)
		if len(errs) != 0 || svc.Spec.AllocateLoadBalancerNodePorts != nil || svc.Spec.LoadBalancerClass != nil || len(svc.Status.LoadBalancer.Ingress) != 0 {
			t.Errorf("errs %v spec %+v status %+v", errs, svc.Spec, svc.Status)
		}
	})
	t.Run("load balancer class may not change", func(t *testing.T) {
		old := allocated(func(s *corev1.Service) {
			s.Spec.Type = corev1.ServiceTypeLoadBalancer
			s.Spec.LoadBalancerClass = ptr("example.com/a")
		})
		body := old.DeepCopy()
		body.Spec.LoadBalancerClass = ptr("example.com/b")
		_, errs := update(old, body)
		if len(errs) != 1 || errs[0] != `spec.loadBalancerClass: Invalid value: "example.com/b": may not change once set` {
			t.Errorf("errs %v", errs)
		}
	})
	t.Run("health check node port may not change", func(t *testing.T) {
		old := allocated(func(s *corev1.Service) {
			s.Spec.Type = corev1.ServiceTypeLoadBalancer
			s.Spec.ExternalTrafficPolicy = corev1.ServiceExternalTrafficPolicyLocal
			s.Spec.HealthCheckNodePort = 32000
		})
		body := old.DeepCopy()
		body.Spec.HealthCheckNodePort = 0
		svc, errs := update(old, body)
		if len(errs) != 0 || svc.Spec.HealthCheckNodePort != 32000 {
			t.Errorf("left out: errs %v port %d", errs, svc.Spec.HealthCheckNodePort)
		}
		body.Spec.HealthCheckNodePort = 32001
		if _, errs := update(old, body); len(errs) != 1 || errs[0] != "spec.healthCheckNodePort: Forbidden: field is immutable" {
			t.Errorf("changed: errs %v", errs)
		}
	})
	t.Run("status kept", func(t *testing.T) {
		old := allocated(func(s *corev1.Service) { s.Spec.Type = corev1.ServiceTypeLoadBalancer })
		old.Status.LoadBalancer.Ingress = []corev1.LoadBalancerIngress{{IP: "192.0.2.1"}}
		body := old.DeepCopy()
		body.Status = corev1.ServiceStatus{}
		body.Labels = map[string]string{"x": "y"}
		svc, errs := update(old, body)
		if len(errs) != 0 || len(svc.Status.LoadBalancer.Ingress) != 1 {
			t.Errorf("errs %v status %+v", errs, svc.Status)
		}
	})
}

func TestServiceStatus(t *testing.T) {
	old := allocated(func(s *corev1.Service) { s.Spec.Type = corev1.ServiceTypeLoadBalancer })
	body := old.DeepCopy()
	body.Spec.Selector = map[string]string{"changed": "yes"}
	body.Status.LoadBalancer.Ingress = []corev1.LoadBalancerIngress{{IP: "192.0.2.1"}, {Hostname: "lb.example.com"}}
	ipv4.Default(body)
	statusStrategy{}.PrepareForUpdate(context.Background(), body, old)
	if body.Spec.Selector["changed"] != "" {
		t.Error("status update changed the spec")
	}
	expectErrors(t, statusStrategy{}.ValidateUpdate(context.Background(), body, old))

	body.Status.LoadBalancer.Ingress = []corev1.LoadBalancerIngress{{IP: "nope", IPMode: ptr(corev1.LoadBalancerIPModeVIP)}, {Hostname: "192.0.2.9"}, {IP: "192.0.2.2"}}
	expectErrors(t, statusStrategy{}.ValidateUpdate(context.Background(), body, old),
		`status.loadBalancer.ingress[0].ip: Invalid value: "nope": must be a valid IP address`,
		`status.loadBalancer.ingress[1].hostname: Invalid value: "192.0.2.9": must be a DNS name, not an IP address`,
		"status.loadBalancer.ingress[2].ipMode: Required value: must be specified when `ip` is set",
	)

	cip := allocated(nil)
	cip.Status.LoadBalancer.Ingress = []corev1.LoadBalancerIngress{{Hostname: "x.example.com"}}
	expectErrors(t, statusStrategy{}.ValidateUpdate(context.Background(), cip, cip),
		"status.loadBalancer.ingress: Forbidden: may only be used when `spec.type` is 'LoadBalancer'")
}

func TestResourceDescription(t *testing.T) {
	res := Resources()[0]
	if res.StoragePrefix != "services/specs" || res.GVR.Resource != "services" || !res.ReturnDeletedObject || !res.AllowCreateOnUpdate || res.Status == nil {
		t.Errorf("resource %+v", res)
	}
	if res.ShortNames[0] != "svc" || res.Categories[0] != "all" {
		t.Errorf("names %v %v", res.ShortNames, res.Categories)
	}
	svc := allocated(func(s *corev1.Service) { s.Labels = map[string]string{"a": "b"} })
	_, f, err := res.GetAttrs(svc)
	if err != nil || f["spec.clusterIP"] != "10.0.0.10" || f["spec.type"] != "ClusterIP" || f["metadata.name"] != "web" {
		t.Errorf("fields %v %v", f, err)
	}
}
