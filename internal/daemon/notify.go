package daemon

import (
	"context"
	"strings"
	"time"

	sddaemon "github.com/coreos/go-systemd/v22/daemon"
	"go.uber.org/zap"
)

// Notifier speaks systemd's sd_notify protocol for a Type=notify unit:
// READY=1 once serving, STOPPING=1 when shutdown begins and, when the unit
// sets WatchdogSec=, WATCHDOG=1 at half the interval while the process is
// live. Without NOTIFY_SOCKET (not under systemd) it does nothing.
type Notifier struct {
	logger *zap.Logger
	live   func(context.Context) error
	// ticker returns a channel ticking every d and its stop function; tests
	// replace it.
	ticker func(d time.Duration) (<-chan time.Time, func())
}

// NewNotifier returns a Notifier whose watchdog pings only while live
// returns nil (Health.Live runs the livez checks). A nil live always passes;
// a nil logger logs nothing.
func NewNotifier(logger *zap.Logger, live func(context.Context) error) *Notifier {
	if logger == nil {
		logger = zap.NewNop()
	}
	if live == nil {
		live = func(context.Context) error { return nil }
	}
	return &Notifier{
		logger: logger.Named("sd-notify"),
		live:   live,
		ticker: func(d time.Duration) (<-chan time.Time, func()) {
			t := time.NewTicker(d)
			return t.C, t.Stop
		},
	}
}

// Ready tells systemd the service has started (READY=1).
func (n *Notifier) Ready() { n.send("READY=1") }

// Stopping tells systemd the service is shutting down (STOPPING=1).
func (n *Notifier) Stopping() { n.send("STOPPING=1") }

func (n *Notifier) send(state string) {
	sent, err := sddaemon.SdNotify(false, state)
	switch {
	case err != nil:
		n.logger.Warn("sd_notify failed", zap.String("state", state), zap.Error(err))
	case sent:
		n.logger.Debug("sd_notify sent", zap.String("state", state))
	}
}

// watchdogInterval is half the WATCHDOG_USEC systemd set for this process,
// or 0 when there is no watchdog.
func watchdogInterval() (time.Duration, error) {
	d, err := sddaemon.SdWatchdogEnabled(false)
	return d / 2, err
}

// Run pings systemd's watchdog until ctx ends. On a tick where live fails
// it withholds WATCHDOG=1 and sets STATUS= to the reason, so a wedged
// process is restarted by systemd once WatchdogSec passes. Without a
// watchdog it returns nil at once.
func (n *Notifier) Run(ctx context.Context) error {
	interval, err := watchdogInterval()
	if err != nil {
		n.logger.Warn("ignoring the systemd watchdog settings", zap.Error(err))
		return nil
	}
	if interval <= 0 {
		return nil
	}
	n.logger.Info("systemd watchdog enabled", zap.Duration("ping-interval", interval))
	tick, stop := n.ticker(interval)
	defer stop()
	failing := false
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick:
		}
		if err := n.live(ctx); err != nil {
			if !failing {
				n.logger.Warn("livez failing; withholding the watchdog ping", zap.Error(err))
			}
			failing = true
			n.send("STATUS=watchdog withheld: " + strings.ReplaceAll(err.Error(), "\n", "; "))
			continue
		}
		if failing {
			failing = false
			n.logger.Info("livez passing again; resuming the watchdog ping")
			n.send("WATCHDOG=1\nSTATUS=livez passing")
			continue
		}
		n.send("WATCHDOG=1")
	}
}
