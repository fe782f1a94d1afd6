package allocator

import (
	"context"
	"errors"
	"fmt"
	"net"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/storage"
)

// Services reserves a Service's cluster IP and node ports before it is
// stored, and frees them when it is deleted or no longer needs them.
type Services struct {
	IPs   *IPs
	Ports *Ports
}

// needsClusterIP: every type but ExternalName, unless headless.
func needsClusterIP(s *corev1.Service) bool {
	return s.Spec.Type != corev1.ServiceTypeExternalName && s.Spec.ClusterIP != corev1.ClusterIPNone
}

func needsNodePorts(s *corev1.Service) bool {
	return s.Spec.Type == corev1.ServiceTypeNodePort ||
		(s.Spec.Type == corev1.ServiceTypeLoadBalancer && (s.Spec.AllocateLoadBalancerNodePorts == nil || *s.Spec.AllocateLoadBalancerNodePorts))
}

func needsHealthCheckPort(s *corev1.Service) bool {
	return s.Spec.Type == corev1.ServiceTypeLoadBalancer && s.Spec.ExternalTrafficPolicy == corev1.ServiceExternalTrafficPolicyLocal
}

// Reserve fills obj's cluster IP and node ports (old is nil on create, else
// what old already holds is kept), and returns how to undo it.
func (a *Services) Reserve(ctx context.Context, obj, old storage.Object) (func(), error) {
	svc, ok := obj.(*corev1.Service)
	if !ok {
		return func() {}, nil
	}
	var prev *corev1.Service
	if o, ok := old.(*corev1.Service); ok {
		prev = o
	}
	var undo []func()
	rollback := func() {
		for i := len(undo) - 1; i >= 0; i-- {
			undo[i]()
		}
	}
	fail := func(err error) (func(), error) {
		rollback()
		return func() {}, err
	}
	if needsClusterIP(svc) && (prev == nil || !needsClusterIP(prev) || prev.Spec.ClusterIP == "") {
		var want net.IP
		if svc.Spec.ClusterIP != "" {
			if want = net.ParseIP(svc.Spec.ClusterIP); want == nil {
				return fail(invalid(svc, field.Invalid(field.NewPath("spec", "clusterIPs").Index(0), svc.Spec.ClusterIP, "must be a valid IP address")))
			}
		}
		ip, err := a.IPs.Allocate(ctx, want)
		if err != nil {
			return fail(ipError(svc, want, a.IPs.CIDR(), err))
		}
		undo = append(undo, func() { _ = a.IPs.Release(context.WithoutCancel(ctx), ip) })
		svc.Spec.ClusterIP = ip.String()
		svc.Spec.ClusterIPs = []string{ip.String()}
	}
	if needsNodePorts(svc) {
		held := map[int32]bool{}
		if prev != nil && needsNodePorts(prev) {
			for _, p := range prev.Spec.Ports {
				held[p.NodePort] = true
			}
		}
		for i := range svc.Spec.Ports {
			p := &svc.Spec.Ports[i]
			if p.NodePort != 0 && held[p.NodePort] {
				continue
			}
			got, err := a.Ports.Allocate(ctx, int(p.NodePort))
			if err != nil {
				return fail(portError(svc, field.NewPath("spec", "ports").Index(i).Child("nodePort"), p.NodePort, a.Ports, err))
			}
			undo = append(undo, func() { _ = a.Ports.Release(context.WithoutCancel(ctx), got) })
			p.NodePort = int32(got)
		}
	}
	if needsHealthCheckPort(svc) {
		keep := prev != nil && needsHealthCheckPort(prev) && svc.Spec.HealthCheckNodePort != 0 &&
			svc.Spec.HealthCheckNodePort == prev.Spec.HealthCheckNodePort
		if !keep {
			got, err := a.Ports.Allocate(ctx, int(svc.Spec.HealthCheckNodePort))
			if err != nil {
				return fail(portError(svc, field.NewPath("spec", "healthCheckNodePort"), svc.Spec.HealthCheckNodePort, a.Ports, err))
			}
			undo = append(undo, func() { _ = a.Ports.Release(context.WithoutCancel(ctx), got) })
			svc.Spec.HealthCheckNodePort = int32(got)
		}
	}
	return rollback, nil
}

// Release frees what old held that obj (nil after a delete) does not.
func (a *Services) Release(ctx context.Context, obj, old storage.Object) {
	prev, ok := old.(*corev1.Service)
	if !ok {
		return
	}
	cur, _ := obj.(*corev1.Service)
	if prev.Spec.ClusterIP != "" && prev.Spec.ClusterIP != corev1.ClusterIPNone && (cur == nil || cur.Spec.ClusterIP != prev.Spec.ClusterIP) {
		_ = a.IPs.Release(ctx, net.ParseIP(prev.Spec.ClusterIP))
	}
	kept := map[int32]bool{}
	if cur != nil {
		for _, p := range cur.Spec.Ports {
			kept[p.NodePort] = true
		}
		kept[cur.Spec.HealthCheckNodePort] = true
	}
	for _, p := range prev.Spec.Ports {
		if p.NodePort != 0 && !kept[p.NodePort] {
			_ = a.Ports.Release(ctx, int(p.NodePort))
		}
	}
	if hc := prev.Spec.HealthCheckNodePort; hc != 0 && !kept[hc] {
		_ = a.Ports.Release(ctx, int(hc))
	}
}

var servicesGK = schema.GroupKind{Kind: "Service"}

func invalid(svc *corev1.Service, errs ...*field.Error) error {
	return apierrors.NewInvalid(servicesGK, svc.Name, errs)
}

func ipError(svc *corev1.Service, want net.IP, cidr *net.IPNet, err error) error {
	path := field.NewPath("spec", "clusterIPs").Index(0)
	switch {
	case errors.Is(err, ErrAllocated):
		return invalid(svc, field.Invalid(path, want.String(), "provided IP is already allocated"))
	case errors.Is(err, ErrNotInRange):
		return invalid(svc, field.Invalid(path, want.String(), fmt.Sprintf("provided IP is not in the valid range. The range of valid IPs is %s", cidr)))
	case errors.Is(err, ErrFull):
		return apierrors.NewInternalError(fmt.Errorf("failed to allocate a serviceIP: range is full"))
	}
	return apierrors.NewInternalError(fmt.Errorf("failed to allocate a serviceIP: %w", err))
}

func portError(svc *corev1.Service, path *field.Path, port int32, ports *Ports, err error) error {
	switch {
	case errors.Is(err, ErrAllocated):
		return invalid(svc, field.Invalid(path, port, "provided port is already allocated"))
	case errors.Is(err, ErrNotInRange):
		return invalid(svc, field.Invalid(path, port, fmt.Sprintf("provided port is not in the valid range. The range of valid ports is %s", ports.bits.rangeID)))
	case errors.Is(err, ErrFull):
		return apierrors.NewInternalError(fmt.Errorf("failed to allocate a nodePort: range is full"))
	}
	return apierrors.NewInternalError(fmt.Errorf("failed to allocate a nodePort: %w", err))
}
