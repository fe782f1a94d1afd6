// Package app wires kube-apiserver together.
package app

import (
	"github.com/spf13/cobra"

	"github.com/skiff-dev/skiff/internal/daemon"
)

const name = "kube-apiserver"

// NewCommand returns the kube-apiserver command.
func NewCommand() *cobra.Command {
	opts := daemon.NewOptions(name, daemon.NewSecureServingOptions(6443, "/var/run/kubernetes", "apiserver"))
	cmd := &cobra.Command{
		Use:   name,
		Short: "skiff's kube-apiserver (the API is not built yet)",
		Long: `kube-apiserver serves the Kubernetes API on etcd: it authenticates,
authorizes, admits, validates and persists every request, and notifies
watchers.

NOT BUILT YET: this build starts, serves /livez, /readyz, /healthz and
/metrics over HTTPS on --secure-port (6443) and stops cleanly on SIGTERM, but
serves no API.`,
		Args:         cobra.NoArgs,
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			d, err := opts.Setup(nil, cmd.Flags())
			if err != nil {
				return err
			}
			defer func() { _ = d.Logger.Sync() }()
			d.Runner.Add(name, daemon.NotBuilt(d.Logger, "the Kubernetes API"))
			return d.Runner.Run(cmd.Context())
		},
	}
	opts.AddFlags(cmd.Flags())
	return cmd
}
