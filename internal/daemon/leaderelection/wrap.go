package leaderelection

import (
	"context"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"

	"github.com/skiff-dev/skiff/internal/daemon"
)

// Guard returns work run only while this process leads, when o asks for
// leader election (otherwise work itself), and adds the leaderElection
// check to health's /healthz and /livez.
func (o Options) Guard(logger *zap.Logger, leases Leases, reg prometheus.Registerer, health *daemon.Health, work daemon.Runnable) (daemon.Runnable, error) {
	if !o.LeaderElect {
		return work, nil
	}
	cfg := o.Config()
	cfg.Registerer = reg
	elector, err := New(logger, leases, cfg)
	if err != nil {
		return nil, err
	}
	health.Add(daemon.Healthz|daemon.Livez, daemon.Check{Name: HealthCheckName, Fn: elector.Check})
	return daemon.RunFunc(func(ctx context.Context) error {
		return elector.Run(ctx, work.Run)
	}), nil
}
