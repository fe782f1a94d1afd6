// Package app wires kube-apiserver together.
package app

import (
	"context"
	"runtime/debug"
	"time"

	"github.com/spf13/cobra"

	"github.com/skiff-dev/skiff/internal/daemon"
)

const name = "kube-apiserver"

// NewCommand returns the kube-apiserver command.
func NewCommand() *cobra.Command {
	opts := daemon.NewOptions(name, daemon.NewSecureServingOptions(6443, "/var/run/kubernetes", "apiserver"))
	o := NewOptions()
	cmd := &cobra.Command{
		Use:   name,
		Short: "skiff's kube-apiserver: the Kubernetes API on etcd",
		Long: `kube-apiserver serves the Kubernetes API on etcd: it authenticates
(x509, static tokens, service-account tokens, anonymous), authorizes
(AlwaysAllow, AlwaysDeny, RBAC), admits, validates and persists every request,
and notifies watchers through per-resource watch caches fed by one etcd watch
each.

NOT BUILT YET: CustomResourceDefinitions,
protobuf and gzip responses, admission webhooks, pods/exec, attach and
port-forward. See the README.`,
		Args:         cobra.NoArgs,
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.Validate(); err != nil {
				return err
			}
			d, err := opts.Setup(nil, cmd.Flags())
			if err != nil {
				return err
			}
			defer func() { _ = d.Logger.Sync() }()
			return run(cmd.Context(), d, o, opts.SecureServing.BindPort)
		},
	}
	opts.AddFlags(cmd.Flags())
	o.AddFlags(cmd.Flags())
	return cmd
}

func run(ctx context.Context, d *daemon.Daemon, o *Options, securePort int) error {
	s, err := newServer(ctx, d, o)
	if err != nil {
		return err
	}
	s.securePort = securePort
	d.Serve(s.handler)
	for i, c := range s.caches {
		d.Runner.Add("watch-cache "+s.stores[i].Resource().GVR.String(), c)
	}
	if o.EtcdCompactionInterval > 0 {
		d.Runner.Add("etcd-compactor", daemon.RunFunc(func(ctx context.Context) error {
			return s.storage.RunCompactor(ctx, o.EtcdCompactionInterval)
		}))
	}
	d.Runner.Add("storage-object-counts", daemon.RunFunc(func(ctx context.Context) error {
		return s.countObjects(ctx, d.Registry)
	}))
	d.Runner.Add("bootstrap", daemon.RunFunc(func(ctx context.Context) error {
		if err := s.bootstrap(ctx, s.objects); err != nil {
			return err
		}
		s.ready.done.Store(true)
		// Building the schemas, the OpenAPI documents and the bootstrap
		// policy left megabytes of garbage the server will not need
		// again: hand its pages back now rather than over minutes.
		debug.FreeOSMemory()
		<-ctx.Done()
		return nil
	}))
	d.Runner.ShutdownDelay = o.ShutdownDelayDuration
	return d.Runner.Run(ctx)
}

func secondsOf(n int) time.Duration { return time.Duration(n) * time.Second }
