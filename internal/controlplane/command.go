package controlplane

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/skiff-dev/skiff/internal/client"
	"github.com/skiff-dev/skiff/internal/daemon"
	"github.com/skiff-dev/skiff/internal/daemon/leaderelection"
)

// Spec describes one control-plane daemon.
type Spec struct {
	Name        string // binary, logger, Lease and environment prefix
	Kind        string // the config file's kind, e.g. KubeSchedulerConfiguration
	Short, Long string
	SecurePort  int
	QPS         float32
	Burst       int32
	// Work builds the component's work once its client is ready; it runs
	// only while this process holds the Lease (with --leader-elect).
	Work func(d *daemon.Daemon, c *client.Client) (daemon.Runnable, error)
}

// NewCommand returns the daemon's command.
func NewCommand(spec Spec) *cobra.Command {
	opts := daemon.NewOptions(spec.Name, daemon.NewSecureServingOptions(spec.SecurePort, "", spec.Name))
	cfg := &Config{
		ClientConnection: daemon.NewClientConnection(spec.QPS, spec.Burst),
		LeaderElection:   leaderelection.NewOptions(true, spec.Name),
		kind:             spec.Kind,
	}
	cmd := &cobra.Command{
		Use:          spec.Name,
		Short:        spec.Short,
		Long:         spec.Long,
		Args:         cobra.NoArgs,
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			d, err := opts.Setup(cfg, cmd.Flags())
			if err != nil {
				return err
			}
			defer func() { _ = d.Logger.Sync() }()
			c, err := cfg.ClientConnection.Client(spec.Name, d.Registry)
			if err != nil {
				return err
			}
			work, err := spec.Work(d, c)
			if err != nil {
				return fmt.Errorf("%s: %w", spec.Name, err)
			}
			guarded, err := cfg.LeaderElection.Guard(d.Logger, leaderelection.ClientLeases(c), d.Registry, d.Health, work)
			if err != nil {
				return err
			}
			d.Runner.Add(spec.Name, guarded)
			return d.Runner.Run(cmd.Context())
		},
	}
	opts.AddFlags(cmd.Flags())
	cfg.AddFlags(cmd.Flags())
	return cmd
}
