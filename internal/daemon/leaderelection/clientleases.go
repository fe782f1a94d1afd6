package leaderelection

import (
	"context"

	"github.com/skiff-dev/skiff/internal/client"
	coordinationv1 "k8s.io/api/coordination/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// clientLeases reaches Leases through the API client.
type clientLeases struct {
	r *client.Resource[coordinationv1.Lease, *coordinationv1.Lease]
}

var _ Leases = clientLeases{}

// ClientLeases returns the Leases of the cluster c talks to.
func ClientLeases(c *client.Client) Leases {
	return clientLeases{r: client.For[coordinationv1.Lease](c, client.Leases)}
}

func (l clientLeases) Get(ctx context.Context, namespace, name string) (*coordinationv1.Lease, error) {
	return l.r.Namespace(namespace).Get(ctx, name, metav1.GetOptions{})
}

func (l clientLeases) Create(ctx context.Context, lease *coordinationv1.Lease) (*coordinationv1.Lease, error) {
	return l.r.Namespace(lease.Namespace).Create(ctx, lease, metav1.CreateOptions{})
}

func (l clientLeases) Update(ctx context.Context, lease *coordinationv1.Lease) (*coordinationv1.Lease, error) {
	return l.r.Namespace(lease.Namespace).Update(ctx, lease, metav1.UpdateOptions{})
}
