package leaderelection

import (
	"context"

	coordinationv1 "k8s.io/api/coordination/v1"
)

// Leases reads and writes Lease objects. Errors are the API's: the elector
// asks apierrors.IsNotFound (Get) and treats any other failure, including
// AlreadyExists and Conflict from a racing candidate, as "not this time".
// Update must fail with a Conflict when the lease's resourceVersion is not
// the stored one.
type Leases interface {
	Get(ctx context.Context, namespace, name string) (*coordinationv1.Lease, error)
	// Create and Update write lease in lease.Namespace.
	Create(ctx context.Context, lease *coordinationv1.Lease) (*coordinationv1.Lease, error)
	Update(ctx context.Context, lease *coordinationv1.Lease) (*coordinationv1.Lease, error)
}
