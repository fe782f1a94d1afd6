package leaderelection_test

import (
	"context"
	"os"

	"github.com/spf13/cobra"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/internal/daemon"
	"github.com/skiff-dev/skiff/internal/daemon/leaderelection"
)

// schedulerConfig stands for a component's typed config file.
type schedulerConfig struct {
	LeaderElection leaderelection.Options `json:"leaderElection"`
	Parallelism    int32                  `json:"parallelism"`
}

func (c *schedulerConfig) Validate() error {
	return c.LeaderElection.Validate(field.NewPath("leaderElection")).ToAggregate()
}

// scheduler stands for the component's work.
type scheduler struct{}

func (scheduler) Run(ctx context.Context) error { <-ctx.Done(); return nil }

// How a binary's app package composes the daemon pieces: the shared flags,
// its typed config, one secure server for /metrics and the health
// endpoints, leader election, and one Runner for everything.
func Example_daemon() {
	var leases leaderelection.Leases // the API client's Lease adapter

	opts := daemon.NewOptions("kube-scheduler", daemon.NewSecureServingOptions(10259, "", "kube-scheduler"))
	cfg := &schedulerConfig{LeaderElection: leaderelection.NewOptions(true, "kube-scheduler"), Parallelism: 16}
	cmd := &cobra.Command{
		Use:          "kube-scheduler",
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := opts.Validate(); err != nil {
				return err
			}
			// --config, then KUBE_SCHEDULER_* variables, then flags set on the command line.
			if err := opts.LoadConfig(cfg, cmd.Flags()); err != nil {
				return err
			}
			logger, err := opts.Logger()
			if err != nil {
				return err
			}
			defer logger.Sync()

			reg := daemon.NewRegistry()
			health := daemon.NewHealth(logger)
			srv, err := opts.SecureServing.NewServer(logger, "secure-serving", daemon.NewMux(health, reg))
			if err != nil {
				return err
			}
			r := daemon.NewRunner(logger, health)
			r.Add("secure-serving", srv)

			var work daemon.Runnable = scheduler{}
			if cfg.LeaderElection.LeaderElect {
				lec := cfg.LeaderElection.Config()
				lec.Registerer = reg
				elector, err := leaderelection.New(logger, leases, lec)
				if err != nil {
					return err
				}
				health.Add(daemon.Healthz|daemon.Livez, daemon.Check{Name: leaderelection.HealthCheckName, Fn: elector.Check})
				sched := work
				work = daemon.RunFunc(func(ctx context.Context) error { return elector.Run(ctx, sched.Run) })
			}
			r.Add("scheduler", work)
			return r.Run(cmd.Context())
		},
	}
	opts.AddFlags(cmd.Flags())
	cfg.LeaderElection.AddFlags(cmd.Flags())

	// In main.go:
	_ = func() { os.Exit(daemon.Main(cmd)) }
}
