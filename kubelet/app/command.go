// Package app wires the kubelet together.
package app

import (
	"net/http"

	"github.com/spf13/cobra"

	"github.com/skiff-dev/skiff/internal/client"
	"github.com/skiff-dev/skiff/internal/daemon"
)

const name = "kubelet"

// NewCommand returns the kubelet command.
func NewCommand() *cobra.Command {
	opts := daemon.NewOptions(name, nil)
	cfg := NewConfig()
	cmd := &cobra.Command{
		Use:   name,
		Short: "skiff's kubelet (running pods is not built yet)",
		Long: `The kubelet registers its node, runs the node's pods through containerd
and CNI, and reports their status.

NOT BUILT YET: this build starts, serves /livez, /readyz, /healthz and
/metrics over HTTPS on --port (10250), /healthz over HTTP on
--healthz-bind-address:--healthz-port (127.0.0.1:10248), and stops cleanly on
SIGTERM, but registers no node and runs no pods.`,
		Args:         cobra.NoArgs,
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			d, err := opts.Setup(cfg, cmd.Flags())
			if err != nil {
				return err
			}
			defer func() { _ = d.Logger.Sync() }()
			if cfg.Kubeconfig != "" {
				if _, err := newClient(cfg, d); err != nil {
					return err
				}
			}
			srv, err := cfg.secureServing().NewServer(d.Logger, "secure-serving", d.Mux)
			if err != nil {
				return err
			}
			d.Runner.Add("secure-serving", srv)
			if cfg.HealthzPort > 0 {
				healthz := http.NewServeMux()
				d.Health.Install(healthz)
				hs, err := daemon.JoinHTTPAddress(cfg.HealthzBindAddress, int(cfg.HealthzPort)).NewServer(d.Logger, "healthz", healthz)
				if err != nil {
					return err
				}
				d.Runner.Add("healthz", hs)
			}
			d.Runner.Add(name, daemon.NotBuilt(d.Logger, "node registration and pods"))
			return d.Runner.Run(cmd.Context())
		},
	}
	opts.AddFlags(cmd.Flags())
	cfg.AddFlags(cmd.Flags())
	return cmd
}

func newClient(cfg *Config, d *daemon.Daemon) (*client.Client, error) {
	conn := daemon.ClientConnection{Kubeconfig: cfg.Kubeconfig, QPS: cfg.KubeAPIQPS, Burst: cfg.KubeAPIBurst}
	return conn.Client(name, d.Registry)
}
