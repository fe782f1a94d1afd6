package daemon

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync"
	"time"

	"go.uber.org/zap"
	"golang.org/x/sync/errgroup"
)

// DefaultGracePeriod bounds how long the parts of a daemon may take to stop
// once told to. Upstream has no flag for it in most daemons; neither do we.
const DefaultGracePeriod = 30 * time.Second

// Runnable is a long-running part of a daemon: a server, a controller, a
// leader-elected loop. Run returns when ctx ends (nil, or ctx's error) or
// when the part fails.
type Runnable interface {
	Run(ctx context.Context) error
}

// RunFunc adapts a function to Runnable.
type RunFunc func(ctx context.Context) error

// Run calls f(ctx).
func (f RunFunc) Run(ctx context.Context) error { return f(ctx) }

// listener is a part that binds its sockets before anything starts, so a
// taken port fails the start and READY=1 means every port is open.
type listener interface {
	Listen() error
}

type part struct {
	name string
	r    Runnable
}

// Runner runs a daemon's parts together in one errgroup:
//
//   - parts with a Listen method (Server) bind first; a failure stops the
//     start before any part runs;
//   - every part runs; systemd is told READY=1, and its watchdog is pinged
//     while the livez checks pass (see Notifier);
//   - when ctx ends (SIGTERM or SIGINT, via Main) or a part fails, readyz
//     starts failing, systemd is told STOPPING=1, and — after ShutdownDelay,
//     on a clean stop only — every part's context is cancelled;
//   - Run returns once all parts have returned: nil, or the first part's
//     error (context.Canceled from a part that was told to stop is not an
//     error). Parts still running after GracePeriod are named in the error
//     and abandoned, so the process can exit.
type Runner struct {
	// GracePeriod bounds the wait for parts to stop; zero means
	// DefaultGracePeriod.
	GracePeriod time.Duration
	// ShutdownDelay keeps every part running, with readyz failing, this long
	// after ctx ends, so load balancers drain before listeners close.
	ShutdownDelay time.Duration

	logger   *zap.Logger
	health   *Health
	notifier *Notifier
	parts    []part
	after    func(time.Duration) <-chan time.Time // tests replace it
}

// NewRunner returns a Runner that marks health as shutting down when it
// stops and feeds its livez checks to the systemd watchdog. health may be
// nil; a nil logger logs nothing.
func NewRunner(logger *zap.Logger, health *Health) *Runner {
	if logger == nil {
		logger = zap.NewNop()
	}
	var live func(context.Context) error
	if health != nil {
		live = health.Live
	}
	return &Runner{
		logger:   logger,
		health:   health,
		notifier: NewNotifier(logger, live),
		after:    time.After,
	}
}

// Add adds a part under a name used in logs and errors. It panics on a
// duplicate name.
func (r *Runner) Add(name string, p Runnable) {
	if slices.ContainsFunc(r.parts, func(q part) bool { return q.name == name }) {
		panic(fmt.Sprintf("daemon: part %q added twice", name))
	}
	r.parts = append(r.parts, part{name: name, r: p})
}

// Run runs the parts until ctx ends or one fails; see Runner.
func (r *Runner) Run(ctx context.Context) error {
	for _, p := range r.parts {
		if l, ok := p.r.(listener); ok {
			if err := l.Listen(); err != nil {
				return fmt.Errorf("%s: %w", p.name, err)
			}
		}
	}

	partsCtx, cancelParts := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelParts()
	g, gctx := errgroup.WithContext(partsCtx)
	running := newRunningSet()
	for _, p := range r.parts {
		running.add(p.name)
		g.Go(func() error {
			defer running.remove(p.name)
			err := p.r.Run(gctx)
			if err == nil || (errors.Is(err, context.Canceled) && gctx.Err() != nil) {
				return nil
			}
			r.logger.Error("part failed", zap.String("part", p.name), zap.Error(err))
			return fmt.Errorf("%s: %w", p.name, err)
		})
	}
	waited := make(chan error, 1)
	go func() { waited <- g.Wait() }()
	watchdogDone := make(chan struct{})
	go func() {
		defer close(watchdogDone)
		_ = r.notifier.Run(gctx)
	}()
	r.notifier.Ready()
	r.logger.Info("started", zap.Int("parts", len(r.parts)))

	select {
	case <-ctx.Done():
		r.logger.Info("shutting down", zap.NamedError("reason", context.Cause(ctx)))
		r.beginShutdown()
		if r.ShutdownDelay > 0 {
			r.logger.Info("draining before stopping", zap.Duration("shutdown-delay", r.ShutdownDelay))
			select {
			case <-r.after(r.ShutdownDelay):
			case <-gctx.Done():
			}
		}
	case <-gctx.Done(): // a part failed, or every part returned
		r.beginShutdown()
	}
	cancelParts()

	grace := r.GracePeriod
	if grace <= 0 {
		grace = DefaultGracePeriod
	}
	timer := time.NewTimer(grace)
	defer timer.Stop()
	select {
	case err := <-waited:
		<-watchdogDone // ends with gctx, which ended with Wait
		r.logger.Info("stopped", zap.NamedError("error", err))
		return err
	case <-timer.C:
		stuck := running.names()
		r.logger.Error("parts did not stop within the grace period",
			zap.Duration("grace-period", grace), zap.Strings("parts", stuck))
		return fmt.Errorf("parts did not stop within %s: %v", grace, stuck)
	}
}

func (r *Runner) beginShutdown() {
	if r.health != nil {
		r.health.BeginShutdown()
	}
	r.notifier.Stopping()
}

// runningSet tracks the parts that have not returned yet.
type runningSet struct {
	mu  sync.Mutex
	set map[string]bool
}

func newRunningSet() *runningSet { return &runningSet{set: map[string]bool{}} }

func (s *runningSet) add(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.set[name] = true
}

func (s *runningSet) remove(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.set, name)
}

func (s *runningSet) names() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.set))
	for n := range s.set {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
