// Package app wires kube-proxy together.
package app

import (
	"net/http"

	"github.com/spf13/cobra"

	"github.com/skiff-dev/skiff/internal/daemon"
)

const name = "kube-proxy"

// NewCommand returns the kube-proxy command.
func NewCommand() *cobra.Command {
	opts := daemon.NewOptions(name, nil)
	opts.Profiling = false // upstream's kube-proxy default (enableProfiling)
	cfg := NewConfig()
	cmd := &cobra.Command{
		Use:   name,
		Short: "skiff's kube-proxy (Service rules are not built yet)",
		Long: `kube-proxy makes Service addresses reach their endpoints with nftables
and answers cluster DNS.

NOT BUILT YET: this build starts, serves /metrics (and the health endpoints)
on --metrics-bind-address (127.0.0.1:10249), /healthz and /livez on
--healthz-bind-address (0.0.0.0:10256), and stops cleanly on SIGTERM, but
programs no rules and answers no DNS.`,
		Args:         cobra.NoArgs,
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			d, err := opts.Setup(cfg, cmd.Flags())
			if err != nil {
				return err
			}
			defer func() { _ = d.Logger.Sync() }()
			if _, err := cfg.ClientConnection.Client(name, d.Registry); err != nil {
				return err
			}
			if cfg.MetricsBindAddress.Enabled() {
				srv, err := cfg.MetricsBindAddress.NewServer(d.Logger, "metrics", d.Mux)
				if err != nil {
					return err
				}
				d.Runner.Add("metrics", srv)
			}
			if cfg.HealthzBindAddress.Enabled() {
				healthz := http.NewServeMux()
				d.Health.Install(healthz)
				srv, err := cfg.HealthzBindAddress.NewServer(d.Logger, "healthz", healthz)
				if err != nil {
					return err
				}
				d.Runner.Add("healthz", srv)
			}
			d.Runner.Add(name, daemon.NotBuilt(d.Logger, "Service rules (nftables) and cluster DNS"))
			return d.Runner.Run(cmd.Context())
		},
	}
	opts.AddFlags(cmd.Flags())
	cfg.AddFlags(cmd.Flags())
	return cmd
}
