// Package app wires kube-controller-manager together.
package app

import (
	"github.com/spf13/cobra"

	"github.com/skiff-dev/skiff/internal/client"
	"github.com/skiff-dev/skiff/internal/controlplane"
	"github.com/skiff-dev/skiff/internal/daemon"
)

// NewCommand returns the kube-controller-manager command.
func NewCommand() *cobra.Command {
	return controlplane.NewCommand(controlplane.Spec{
		Name:  "kube-controller-manager",
		Kind:  "KubeControllerManagerConfiguration",
		Short: "skiff's kube-controller-manager (no controllers are built yet)",
		Long: `kube-controller-manager runs the control loops that move the cluster's
actual state toward its desired state.

NOT BUILT YET: this build starts, elects a leader on its Lease
(kube-system/kube-controller-manager), serves /livez, /readyz, /healthz and
/metrics on --secure-port (10257) and stops cleanly on SIGTERM, but runs no
controllers.`,
		SecurePort: 10257,
		QPS:        20,
		Burst:      30,
		Work: func(d *daemon.Daemon, _ *client.Client) (daemon.Runnable, error) {
			return daemon.NotBuilt(d.Logger, "controllers"), nil
		},
	})
}
