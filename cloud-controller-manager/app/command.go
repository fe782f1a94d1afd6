// Package app wires cloud-controller-manager together.
package app

import (
	"github.com/spf13/cobra"

	"github.com/skiff-dev/skiff/internal/client"
	"github.com/skiff-dev/skiff/internal/controlplane"
	"github.com/skiff-dev/skiff/internal/daemon"
)

// NewCommand returns the cloud-controller-manager command.
func NewCommand() *cobra.Command {
	return controlplane.NewCommand(controlplane.Spec{
		Name:  "cloud-controller-manager",
		Kind:  "CloudControllerManagerConfiguration",
		Short: "skiff's cloud-controller-manager (no cloud loops are built yet)",
		Long: `cloud-controller-manager runs the loops that need the infrastructure:
node identity, load-balancer addresses, routes.

NOT BUILT YET: this build starts, elects a leader on its Lease
(kube-system/cloud-controller-manager), serves /livez, /readyz, /healthz and
/metrics on --secure-port (10258) and stops cleanly on SIGTERM, but runs no
cloud loops.`,
		SecurePort: 10258,
		QPS:        20,
		Burst:      30,
		Work: func(d *daemon.Daemon, _ *client.Client) (daemon.Runnable, error) {
			return daemon.NotBuilt(d.Logger, "cloud loops (node, service, route)"), nil
		},
	})
}
