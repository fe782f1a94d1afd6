package app

import (
	"context"
	"fmt"
	"net"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/skiff-dev/skiff/apiserver/allocator"
	"github.com/skiff-dev/skiff/apiserver/scheme"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

// newServiceAllocator reserves cluster IPs from --service-cluster-ip-range
// and node ports from --service-node-port-range, in etcd.
func newServiceAllocator(st *storage.Store, codecs *scheme.Codecs, o *Options) (*allocator.Services, error) {
	_, cidr, err := net.ParseCIDR(o.ServiceClusterIPRange)
	if err != nil {
		return nil, fmt.Errorf("--service-cluster-ip-range: %w", err)
	}
	base, size, err := ParsePortRange(o.ServiceNodePortRange)
	if err != nil {
		return nil, fmt.Errorf("--service-node-port-range: %w", err)
	}
	ranges := st.Resource("ranges", codecs.Storage(), func() storage.Object { return &corev1.RangeAllocation{} })
	ips, err := allocator.NewIPs(ranges, ranges.Key("", allocator.ServiceIPsKey), cidr)
	if err != nil {
		return nil, err
	}
	ports := allocator.NewPorts(ranges, ranges.Key("", allocator.ServiceNodePortsKey), base, size)
	return &allocator.Services{IPs: ips, Ports: ports}, nil
}

// ensureKubernetesService creates the kubernetes Service in default, on
// the range's first address, port 443 to the secure port, as upstream.
func (s *server) ensureKubernetesService(ctx context.Context, objs *objects, securePort int) error {
	if securePort == 0 {
		securePort = 6443 // a test server on a random port
	}
	svc := &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Name: "kubernetes", Namespace: metav1.NamespaceDefault,
			Labels: map[string]string{"component": "apiserver", "provider": "kubernetes"}},
		Spec: corev1.ServiceSpec{
			Type:      corev1.ServiceTypeClusterIP,
			ClusterIP: s.services.IPs.First().String(),
			Ports: []corev1.ServicePort{{Name: "https", Protocol: corev1.ProtocolTCP, Port: 443,
				TargetPort: intstr.FromInt32(int32(securePort))}},
			SessionAffinity: corev1.ServiceAffinityNone,
		},
	}
	c := storeClient[*corev1.Service]{s: objs.stores["services"]}
	// Another apiserver may have made it: then its cluster IP is taken, and
	// a create would fail on the allocation before it could say the Service
	// exists. Look first, as upstream's reconciler does.
	if _, err := c.Get(ctx, svc.Namespace, svc.Name); err == nil || !apierrors.IsNotFound(err) {
		return err
	}
	if _, err := c.Create(ctx, svc); err != nil && !apierrors.IsAlreadyExists(err) {
		return err
	}
	return nil
}
