// Package app wires kube-scheduler together.
package app

import (
	"github.com/spf13/cobra"

	"github.com/skiff-dev/skiff/internal/client"
	"github.com/skiff-dev/skiff/internal/controlplane"
	"github.com/skiff-dev/skiff/internal/daemon"
)

// NewCommand returns the kube-scheduler command.
func NewCommand() *cobra.Command {
	return controlplane.NewCommand(controlplane.Spec{
		Name:  "kube-scheduler",
		Kind:  "KubeSchedulerConfiguration",
		Short: "skiff's kube-scheduler (scheduling is not built yet)",
		Long: `kube-scheduler assigns a node to every unbound pod: filter, score, bind.

NOT BUILT YET: this build starts, elects a leader on its Lease
(kube-system/kube-scheduler), serves /livez, /readyz, /healthz and /metrics
on --secure-port (10259) and stops cleanly on SIGTERM, but binds no pods.`,
		SecurePort: 10259,
		QPS:        50,
		Burst:      100,
		Work: func(d *daemon.Daemon, _ *client.Client) (daemon.Runnable, error) {
			return daemon.NotBuilt(d.Logger, "scheduling (filter, score, bind)"), nil
		},
	})
}
