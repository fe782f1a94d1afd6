package leaderelection

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"
	coordinationv1 "k8s.io/api/coordination/v1"
)

// ErrLeadershipLost is wrapped by Run's error when the lease was lost: taken
// by another candidate or not renewed within the renew deadline.
var ErrLeadershipLost = errors.New("leadership lost")

// Config is what an Elector needs. Options.Config fills it from the flags.
type Config struct {
	Namespace, Name string // the Lease
	// Identity names this candidate in the lease; empty means NewIdentity().
	Identity string
	// LeaseDuration is how long a standby waits, after it last saw the lease
	// change, before it may take it. RenewDeadline is how long the leader
	// keeps retrying a failed renewal before it gives up leadership.
	// RetryPeriod is the interval between attempts. Validate requires
	// RetryPeriod < RenewDeadline < LeaseDuration.
	LeaseDuration, RenewDeadline, RetryPeriod time.Duration
	// ReleaseOnCancel releases the lease when Run stops cleanly, so a standby
	// takes over at its next attempt instead of after LeaseDuration.
	ReleaseOnCancel bool
	// Clock defaults to the real one.
	Clock Clock
	// Registerer gets leader_election_master_status; nil registers nothing.
	Registerer prometheus.Registerer
}

func (c *Config) validate() error {
	switch {
	case c.Namespace == "" || c.Name == "":
		return errors.New("the lease needs a namespace and a name")
	case c.RetryPeriod <= 0 || c.RenewDeadline <= 0 || c.LeaseDuration <= 0:
		return errors.New("lease duration, renew deadline and retry period must be greater than zero")
	case c.RenewDeadline >= c.LeaseDuration:
		return fmt.Errorf("renew deadline %s must be less than lease duration %s", c.RenewDeadline, c.LeaseDuration)
	case c.RetryPeriod >= c.RenewDeadline:
		return fmt.Errorf("retry period %s must be less than renew deadline %s", c.RetryPeriod, c.RenewDeadline)
	}
	return nil
}

// Elector is one candidate for one Lease.
type Elector struct {
	cfg    Config
	logger *zap.Logger
	leases Leases
	clock  Clock
	status prometheus.Gauge
	ran    atomic.Bool

	mu           sync.Mutex
	observed     coordinationv1.LeaseSpec // the lease as last read or written
	observedTime time.Time                // when observed last changed, by our clock
	leading      bool
	lastRenew    time.Time // the time of our last successful write while leading
}

// New returns an Elector for cfg's lease, reached through leases. A nil
// logger logs nothing.
func New(logger *zap.Logger, leases Leases, cfg Config) (*Elector, error) {
	if err := cfg.validate(); err != nil {
		return nil, fmt.Errorf("leader election for lease %s/%s: %w", cfg.Namespace, cfg.Name, err)
	}
	if cfg.Identity == "" {
		id, err := NewIdentity()
		if err != nil {
			return nil, err
		}
		cfg.Identity = id
	}
	if cfg.Clock == nil {
		cfg.Clock = realClock{}
	}
	if logger == nil {
		logger = zap.NewNop()
	}
	e := &Elector{
		cfg:    cfg,
		logger: logger.Named("leader-election").With(zap.String("lease", cfg.Namespace+"/"+cfg.Name), zap.String("identity", cfg.Identity)),
		leases: leases,
		clock:  cfg.Clock,
		status: newMasterStatus(cfg.Registerer).WithLabelValues(cfg.Name),
	}
	e.status.Set(0)
	return e, nil
}

// Identity is this candidate's holderIdentity.
func (e *Elector) Identity() string { return e.cfg.Identity }

// IsLeader reports whether this candidate currently leads.
func (e *Elector) IsLeader() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.leading
}

func (e *Elector) key() string { return e.cfg.Namespace + "/" + e.cfg.Name }

// Run tries to acquire the lease every RetryPeriod until ctx ends. Once it
// leads it runs work and renews the lease every RetryPeriod:
//
//   - if the lease is taken by another candidate, or cannot be renewed for
//     RenewDeadline, work's context is cancelled at once and Run returns,
//     once work has returned, an error wrapping ErrLeadershipLost;
//   - when ctx ends, work's context is cancelled; the lease is still renewed
//     until work returns, then released (ReleaseOnCancel) and Run returns nil;
//   - if work returns by itself, the lease is released (ReleaseOnCancel) and
//     Run returns work's error.
//
// Run returns nil if ctx ends before the lease was acquired. An Elector
// runs once: a second call returns an error.
func (e *Elector) Run(ctx context.Context, work func(context.Context) error) error {
	if e.ran.Swap(true) {
		return fmt.Errorf("leader election for lease %s: Run called twice", e.key())
	}
	if !e.acquire(ctx) {
		return nil
	}
	workCtx, cancelWork := context.WithCancel(ctx)
	defer cancelWork()
	workDone := make(chan error, 1)
	go func() { workDone <- work(workCtx) }()

	// Renewal and release outlive ctx: the lease is held until work is done.
	apiCtx := context.WithoutCancel(ctx)
	ctxDone := ctx.Done()
	timer := e.clock.NewTimer(e.cfg.RetryPeriod)
	defer func() { timer.Stop() }()
	for {
		select {
		case <-ctxDone:
			ctxDone = nil
			e.logger.Info("stopping; waiting for the leader's work to end")
			cancelWork()
		case err := <-workDone:
			e.stopLeading()
			if e.cfg.ReleaseOnCancel {
				e.release(apiCtx)
			}
			if ctx.Err() != nil && (err == nil || errors.Is(err, context.Canceled)) {
				return nil
			}
			return err
		case <-timer.C():
			if err := e.renew(apiCtx); err != nil {
				e.stopLeading()
				cancelWork()
				e.logger.Error("lost leadership; stopped the leader's work", zap.Error(err))
				<-workDone
				return err
			}
			timer = e.clock.NewTimer(e.cfg.RetryPeriod)
		}
	}
}

// acquire tries at once and then every RetryPeriod until it holds the lease
// (true) or ctx ends (false).
func (e *Elector) acquire(ctx context.Context) bool {
	e.logger.Info("attempting to acquire the leader lease")
	for ctx.Err() == nil {
		attemptCtx, cancel := context.WithTimeout(ctx, e.cfg.RenewDeadline)
		err := e.tryAcquireOrRenew(attemptCtx)
		cancel()
		if err == nil {
			e.mu.Lock()
			e.leading = true
			e.mu.Unlock()
			e.status.Set(1)
			e.logger.Info("acquired the leader lease")
			return true
		}
		var held *heldError
		if errors.As(err, &held) {
			e.logger.Debug("lease held by another candidate", zap.String("holder", held.holder))
		} else if ctx.Err() == nil {
			e.logger.Warn("could not acquire the leader lease; will retry", zap.Error(err))
		}
		timer := e.clock.NewTimer(e.cfg.RetryPeriod)
		select {
		case <-ctx.Done():
			timer.Stop()
		case <-timer.C():
		}
	}
	return false
}

// renew makes one renewal attempt, bounded by what is left of the renew
// deadline. It returns an error wrapping ErrLeadershipLost when leadership
// is over, nil otherwise (renewed, or failed with time left to retry).
func (e *Elector) renew(ctx context.Context) error {
	e.mu.Lock()
	deadline := e.lastRenew.Add(e.cfg.RenewDeadline)
	e.mu.Unlock()
	left := deadline.Sub(e.clock.Now())
	if left <= 0 {
		return fmt.Errorf("lease %s not renewed within %s: %w", e.key(), e.cfg.RenewDeadline, ErrLeadershipLost)
	}
	attemptCtx, cancel := context.WithTimeout(ctx, left)
	err := e.tryAcquireOrRenew(attemptCtx)
	cancel()
	if err == nil {
		return nil
	}
	var held *heldError
	if errors.As(err, &held) {
		return fmt.Errorf("lease %s taken by %q: %w", e.key(), held.holder, ErrLeadershipLost)
	}
	if !e.clock.Now().Before(deadline) {
		return fmt.Errorf("lease %s not renewed within %s: %w (last error: %w)", e.key(), e.cfg.RenewDeadline, ErrLeadershipLost, err)
	}
	e.logger.Warn("could not renew the leader lease; will retry", zap.Error(err),
		zap.Duration("time-left", deadline.Sub(e.clock.Now())))
	return nil
}

func (e *Elector) stopLeading() {
	e.mu.Lock()
	e.leading = false
	e.mu.Unlock()
	e.status.Set(0)
}
