package daemon

import (
	"context"
	"net/http"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/spf13/pflag"
	"go.uber.org/zap"
)

// Daemon is what every binary has once its options are read: a logger, a
// metrics registry, health checks, the mux serving both, and the Runner
// that runs its parts (with the secure server, when it has one, added).
type Daemon struct {
	Logger   *zap.Logger
	Registry *prometheus.Registry
	Health   *Health
	Mux      *http.ServeMux
	Runner   *Runner

	handler atomic.Pointer[http.Handler] // what the secure server serves
}

// Serve makes the secure server serve h (by default it serves Mux): a
// binary wraps its mux in filters (authentication, limits) this way.
func (d *Daemon) Serve(h http.Handler) { d.handler.Store(&h) }

func (d *Daemon) serveHTTP(w http.ResponseWriter, r *http.Request) {
	(*d.handler.Load()).ServeHTTP(w, r)
}

// Setup validates the shared flags, fills cfg from --config, the
// environment and the command line (cfg may be nil), and builds the Daemon.
func (o *Options) Setup(cfg any, fs *pflag.FlagSet) (*Daemon, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	if cfg != nil {
		if err := o.LoadConfig(cfg, fs); err != nil {
			return nil, err
		}
	}
	logger, err := o.Logger()
	if err != nil {
		return nil, err
	}
	d := &Daemon{Logger: logger, Registry: NewRegistry(), Health: NewHealth(logger)}
	d.Mux = NewMux(d.Health, d.Registry)
	if o.Profiling {
		InstallProfiling(d.Mux)
	}
	d.Serve(d.Mux)
	d.Runner = NewRunner(logger, d.Health)
	if o.SecureServing != nil {
		srv, err := o.SecureServing.NewServer(logger, "secure-serving", http.HandlerFunc(d.serveHTTP))
		if err != nil {
			return nil, err
		}
		d.Runner.Add("secure-serving", srv)
	}
	return d, nil
}

// NotBuilt is the work of a component whose real job is not built yet: it
// says so once and waits for the stop.
func NotBuilt(logger *zap.Logger, what string) Runnable {
	return RunFunc(func(ctx context.Context) error {
		logger.Warn("not built yet: this binary serves health and metrics only", zap.String("missing", what))
		<-ctx.Done()
		return nil
	})
}
