package daemon

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

// notifySocket listens on a unixgram socket, points NOTIFY_SOCKET at it and
// returns a function reading the next message.
func notifySocket(t *testing.T) func() string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "notify.sock")
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	t.Setenv("NOTIFY_SOCKET", path)
	return func() string {
		t.Helper()
		buf := make([]byte, 4096)
		conn.SetReadDeadline(time.Now().Add(10 * time.Second)) // a failure bound, not a wait
		n, err := conn.Read(buf)
		if err != nil {
			t.Fatalf("reading the notify socket: %v", err)
		}
		return string(buf[:n])
	}
}

func TestNotifierReadyAndStopping(t *testing.T) {
	next := notifySocket(t)
	n := NewNotifier(nil, nil)
	n.Ready()
	if got := next(); got != "READY=1" {
		t.Errorf("got %q, want READY=1", got)
	}
	n.Stopping()
	if got := next(); got != "STOPPING=1" {
		t.Errorf("got %q, want STOPPING=1", got)
	}
}

func TestNotifierWithoutSystemd(t *testing.T) {
	t.Setenv("NOTIFY_SOCKET", "")
	os.Unsetenv("NOTIFY_SOCKET")
	t.Setenv("WATCHDOG_USEC", "")
	os.Unsetenv("WATCHDOG_USEC")
	n := NewNotifier(nil, nil)
	n.Ready() // must not fail or block
	if err := n.Run(context.Background()); err != nil {
		t.Errorf("Run() without a watchdog = %v", err)
	}
}

func TestWatchdogInterval(t *testing.T) {
	tests := []struct {
		name string
		usec string
		pid  string
		want time.Duration
	}{
		{name: "unset"},
		{name: "30s watchdog pings every 15s", usec: "30000000", want: 15 * time.Second},
		{name: "for this pid", usec: "2000000", pid: strconv.Itoa(os.Getpid()), want: time.Second},
		{name: "for another pid", usec: "2000000", pid: strconv.Itoa(os.Getpid() + 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("WATCHDOG_USEC", tt.usec)
			t.Setenv("WATCHDOG_PID", tt.pid)
			got, err := watchdogInterval()
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("interval %v, want %v", got, tt.want)
			}
		})
	}
}

func TestNotifierWatchdogFollowsLivez(t *testing.T) {
	next := notifySocket(t)
	t.Setenv("WATCHDOG_USEC", "30000000")
	t.Setenv("WATCHDOG_PID", "")

	var failing atomic.Bool
	n := NewNotifier(nil, func(context.Context) error {
		if failing.Load() {
			return errors.New("livez check failed: deadlock: worker stuck")
		}
		return nil
	})
	ticks := make(chan time.Time)
	var gotInterval time.Duration
	n.ticker = func(d time.Duration) (<-chan time.Time, func()) {
		gotInterval = d
		return ticks, func() {}
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- n.Run(ctx) }()

	steps := []struct {
		failing bool
		want    string
	}{
		{false, "WATCHDOG=1"},
		{false, "WATCHDOG=1"},
		{true, "STATUS=watchdog withheld: livez check failed: deadlock: worker stuck"},
		{true, "STATUS=watchdog withheld: livez check failed: deadlock: worker stuck"},
		{false, "WATCHDOG=1\nSTATUS=livez passing"},
		{false, "WATCHDOG=1"},
	}
	for i, s := range steps {
		failing.Store(s.failing)
		ticks <- time.Now()
		if got := next(); got != s.want {
			t.Errorf("tick %d: got %q, want %q", i, got, s.want)
		}
	}
	if gotInterval != 15*time.Second {
		t.Errorf("ticker interval %v, want half of WATCHDOG_USEC", gotInterval)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run() = %v", err)
	}
}
