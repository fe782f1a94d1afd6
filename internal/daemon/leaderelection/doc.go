// Package leaderelection elects one active replica of a control-plane
// daemon (kube-scheduler, kube-controller-manager, cloud-controller-manager)
// through a coordination.k8s.io/v1 Lease, as upstream does, so hot standbys
// take over when the leader stops renewing.
//
// Options carries upstream's --leader-elect* flags and doubles as the
// leaderElection section of a component's config file. An Elector runs the
// leader's work only while it holds the lease:
//
//	cfg := opts.Config()                  // from flags / config file
//	cfg.Registerer = registry
//	elector, err := leaderelection.New(logger, leases, cfg)
//	health.Add(daemon.Healthz|daemon.Livez, daemon.Check{Name: leaderelection.HealthCheckName, Fn: elector.Check})
//	err = elector.Run(ctx, scheduler.Run) // returns an error wrapping ErrLeadershipLost when deposed
//
// Losing the lease cancels the work at once and ends Run with an error, so
// the daemon exits and systemd restarts it as a standby, as upstream's
// daemons do.
package leaderelection
