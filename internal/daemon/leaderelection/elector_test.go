package leaderelection

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"go.uber.org/zap/zaptest"
)

// candidate runs one Elector whose work blocks until its context ends.
type candidate struct {
	id      string
	e       *Elector
	clock   *fakeClock
	leases  *faultyLeases
	reg     *prometheus.Registry
	cancel  context.CancelFunc
	started chan struct{} // closed when work starts
	stopped chan struct{} // closed when work saw its context end
	done    chan struct{} // closed when Run returned
	err     error         // Run's result, once done
}

func startCandidate(t *testing.T, id string, clock *fakeClock, store Leases, mutate ...func(*Config)) *candidate {
	t.Helper()
	c := &candidate{
		id: id, clock: clock, leases: &faultyLeases{Leases: store}, reg: prometheus.NewRegistry(),
		started: make(chan struct{}), stopped: make(chan struct{}), done: make(chan struct{}),
	}
	cfg := testConfig(id, clock)
	cfg.Registerer = c.reg
	for _, m := range mutate {
		m(&cfg)
	}
	e, err := New(zaptest.NewLogger(t).Named(id), c.leases, cfg)
	if err != nil {
		t.Fatal(err)
	}
	c.e = e
	ctx, cancel := context.WithCancel(context.Background())
	c.cancel = cancel
	clock.join()
	go func() {
		c.err = e.Run(ctx, c.work)
		clock.leave()
		close(c.done)
	}()
	t.Cleanup(func() {
		cancel()
		<-c.done
	})
	return c
}

func (c *candidate) work(ctx context.Context) error {
	close(c.started)
	<-ctx.Done()
	close(c.stopped)
	return ctx.Err()
}

func (c *candidate) workRunning() bool {
	select {
	case <-c.started:
	default:
		return false
	}
	select {
	case <-c.stopped:
		return false
	default:
		return true
	}
}

func (c *candidate) status() float64 {
	return testutil.ToFloat64(newMasterStatus(c.reg).WithLabelValues("kube-scheduler"))
}

// leaders returns the candidates that think they lead, checking that no
// two do and that the metric agrees.
func leaders(t *testing.T, cs ...*candidate) []*candidate {
	t.Helper()
	var out []*candidate
	for _, c := range cs {
		want := 0.0
		if c.e.IsLeader() {
			out = append(out, c)
			want = 1
		}
		if got := c.status(); got != want {
			t.Errorf("%s: leader_election_master_status %v, want %v", c.id, got, want)
		}
	}
	if len(out) > 1 {
		t.Fatalf("%d candidates lead at once", len(out))
	}
	return out
}

// stepUntil steps every clock by the retry period, settling between steps,
// until cond holds; it returns how far the clocks moved.
func stepUntil(t *testing.T, clock *fakeClock, max int, cond func() bool, check func()) time.Duration {
	t.Helper()
	var moved time.Duration
	for i := 0; !cond(); i++ {
		if i == max {
			t.Fatalf("condition not reached after %v", moved)
		}
		clock.Step(testRetry)
		moved += testRetry
		clock.settle(t)
		if check != nil {
			check()
		}
	}
	return moved
}

func TestExactlyOneLeads(t *testing.T) {
	for round := range 5 { // different goroutine interleavings each round
		t.Run(fmt.Sprint("round ", round), func(t *testing.T) {
			clock, store := newFakeClock(), newFakeLeases()
			store.setHold(true) // the Creates race on the absent lease
			cs := []*candidate{
				startCandidate(t, "a", clock, store),
				startCandidate(t, "b", clock, store),
				startCandidate(t, "c", clock, store),
			}
			store.waitHeld(t, 3)
			store.setHold(false)
			clock.settle(t)
			l := leaders(t, cs...)
			if len(l) != 1 {
				t.Fatalf("%d leaders, want 1", len(l))
			}
			leader := l[0]
			<-leader.started
			for range 5 {
				clock.Step(testRetry)
				clock.settle(t)
				if l := leaders(t, cs...); len(l) != 1 || l[0] != leader {
					t.Fatal("leadership moved while the leader renewed")
				}
				for _, c := range cs {
					if c != leader && c.workRunning() {
						t.Fatalf("%s runs work without leading", c.id)
					}
				}
			}
			lease, _ := store.Get(context.Background(), "kube-system", "kube-scheduler")
			if holderOf(lease.Spec) != leader.id || !lease.Spec.RenewTime.Time.Equal(clock.Now()) {
				t.Errorf("lease %+v, want held by %s and renewed now", lease.Spec, leader.id)
			}
			if err := leader.e.Check(nil); err != nil {
				t.Errorf("a renewing leader's health check: %v", err)
			}
			checkHistory(t, store.writes())
		})
	}
}

func TestTakeoverWhenLeaderStopsRenewing(t *testing.T) {
	tests := []struct {
		name string
		// paused: the leader runs on its own clock, which stops (like a
		// SIGSTOPped process); otherwise its API calls start failing.
		paused bool
	}{
		{name: "leader's API calls fail"},
		{name: "leader paused", paused: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := newFakeLeases()
			clockA, clockB := newFakeClock(), newFakeClock()
			if !tt.paused {
				clockB = clockA
			}
			a := startCandidate(t, "a", clockA, store)
			clockA.settle(t)
			<-a.started
			b := startCandidate(t, "b", clockB, store)
			clockB.settle(t)

			if !tt.paused {
				a.leases.setFailing(true)
			}
			// A leader whose calls fail must give up before the standby can
			// take over. A paused one cannot act on anything, so it keeps
			// believing it leads until it runs again — as upstream's would.
			var check func()
			if !tt.paused {
				check = func() { leaders(t, a, b) }
			}
			moved := stepUntil(t, clockB, 20, b.e.IsLeader, check)
			<-b.started
			if moved < testLease || moved > testLease+testRetry {
				t.Errorf("standby took over %v after the last renewal, want within [%v, %v]", moved, testLease, testLease+testRetry)
			}
			if !tt.paused {
				// The leader gave up at its renew deadline, before the takeover.
				<-a.done
				if !errors.Is(a.err, ErrLeadershipLost) {
					t.Errorf("deposed leader's Run() = %v, want ErrLeadershipLost", a.err)
				}
			} else {
				// The paused leader still believes it leads until it runs again…
				if !a.workRunning() {
					t.Fatal("the paused leader's work stopped while it was paused")
				}
				clockA.Step(testRetry)
				<-a.done // …and then sees the new holder at its next renewal.
				if !errors.Is(a.err, ErrLeadershipLost) {
					t.Errorf("deposed leader's Run() = %v, want ErrLeadershipLost", a.err)
				}
			}
			select {
			case <-a.stopped:
			default:
				t.Error("the deposed leader's work context was not cancelled")
			}
			if a.e.IsLeader() || a.status() != 0 {
				t.Error("the deposed leader still reports leading")
			}
			if got := store.holder("kube-system", "kube-scheduler"); got != "b" {
				t.Errorf("holder %q, want b", got)
			}
			checkHistory(t, store.writes())
		})
	}
}

func TestStopReleasesLease(t *testing.T) {
	tests := []struct {
		name            string
		releaseOnCancel bool
		wantTakeover    time.Duration // clock movement until the standby leads
	}{
		{name: "release on cancel", releaseOnCancel: true, wantTakeover: testRetry},
		{name: "no release", releaseOnCancel: false, wantTakeover: testLease},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock, store := newFakeClock(), newFakeLeases()
			release := func(c *Config) { c.ReleaseOnCancel = tt.releaseOnCancel }
			a := startCandidate(t, "a", clock, store, release)
			clock.settle(t)
			<-a.started
			b := startCandidate(t, "b", clock, store, release)
			clock.settle(t)

			a.cancel()
			<-a.done
			if a.err != nil {
				t.Fatalf("Run() after a clean stop = %v", a.err)
			}
			<-a.stopped
			lease, _ := store.Get(context.Background(), "kube-system", "kube-scheduler")
			if released := holderOf(lease.Spec) == "" && *lease.Spec.LeaseDurationSeconds == 1; released != tt.releaseOnCancel {
				t.Errorf("lease after stop %+v, released %v, want %v", lease.Spec, released, tt.releaseOnCancel)
			}
			clock.settle(t)
			moved := stepUntil(t, clock, 10, b.e.IsLeader, nil)
			if moved != tt.wantTakeover {
				t.Errorf("standby took over after %v, want %v", moved, tt.wantTakeover)
			}
			<-b.started
			lease, _ = store.Get(context.Background(), "kube-system", "kube-scheduler")
			if *lease.Spec.LeaseTransitions != 1 {
				t.Errorf("leaseTransitions %d, want 1", *lease.Spec.LeaseTransitions)
			}
			checkHistory(t, store.writes())
		})
	}
}

func TestConcurrentTakeoverHasOneWinner(t *testing.T) {
	for round := range 5 {
		t.Run(fmt.Sprint("round ", round), func(t *testing.T) {
			clock, store := newFakeClock(), newFakeLeases()
			seedLease(store, "dead", clock.Now(), int32(testLease/time.Second))
			cs := []*candidate{
				startCandidate(t, "a", clock, store),
				startCandidate(t, "b", clock, store),
				startCandidate(t, "c", clock, store),
			}
			clock.settle(t)
			for range int(testLease/testRetry) - 1 {
				clock.Step(testRetry)
				clock.settle(t)
				if l := leaders(t, cs...); len(l) != 0 {
					t.Fatalf("%s took the lease before it expired", l[0].id)
				}
			}
			// All three see the expired lease at the same version and write.
			store.setHold(true)
			clock.Step(testRetry)
			store.waitHeld(t, 3)
			store.setHold(false)
			clock.settle(t)
			l := leaders(t, cs...)
			if len(l) != 1 {
				t.Fatalf("%d leaders after the race, want 1", len(l))
			}
			writes := store.writes()
			if len(writes) != 2 || holderOf(writes[1]) != l[0].id {
				t.Fatalf("store writes %d (last by %q), want the seed and one by the winner %s", len(writes), holderOf(writes[len(writes)-1]), l[0].id)
			}
			for range 3 {
				clock.Step(testRetry)
				clock.settle(t)
				if l2 := leaders(t, cs...); len(l2) != 1 || l2[0] != l[0] {
					t.Fatal("leadership moved after the race")
				}
			}
			checkHistory(t, store.writes())
		})
	}
}

func TestWorkErrorEndsLeadership(t *testing.T) {
	clock, store := newFakeClock(), newFakeLeases()
	e, err := New(nil, store, testConfig("a", clock))
	if err != nil {
		t.Fatal(err)
	}
	boom := errors.New("informers never synced")
	if err := e.Run(context.Background(), func(context.Context) error { return boom }); !errors.Is(err, boom) {
		t.Fatalf("Run() = %v, want work's error", err)
	}
	if got := store.holder("kube-system", "kube-scheduler"); got != "" {
		t.Errorf("lease still held by %q after the work failed", got)
	}
}

func TestRunReturnsWhenStoppedBeforeLeading(t *testing.T) {
	clock, store := newFakeClock(), newFakeLeases()
	seedLease(store, "other", clock.Now(), 8)
	c := startCandidate(t, "a", clock, store)
	clock.settle(t)
	c.cancel()
	<-c.done
	if c.err != nil {
		t.Errorf("Run() = %v", c.err)
	}
	select {
	case <-c.started:
		t.Error("work ran without the lease")
	default:
	}
}

func TestHealthCheckWhenRenewalWedged(t *testing.T) {
	clock, store := newFakeClock(), newFakeLeases()
	a := startCandidate(t, "a", clock, store)
	clock.settle(t)
	<-a.started

	block, entered := make(chan struct{}), make(chan struct{}, 1)
	a.leases.mu.Lock()
	a.leases.block, a.leases.entered = block, entered
	a.leases.mu.Unlock()
	clock.Step(testRetry)
	<-entered // the renewal hangs in the API call

	clock.Step(testLease + HealthzTolerance - testRetry)
	if err := a.e.Check(nil); err != nil {
		t.Errorf("Check() at exactly leaseDuration+%v = %v, want nil", HealthzTolerance, err)
	}
	clock.Step(time.Second)
	err := a.e.Check(nil)
	if err == nil || err.Error() != "failed election to renew leadership on lease kube-system/kube-scheduler" {
		t.Errorf("Check() of a wedged leader = %v", err)
	}

	close(block) // the call fails; the renew deadline is long past
	<-a.done
	if !errors.Is(a.err, ErrLeadershipLost) {
		t.Errorf("Run() = %v, want ErrLeadershipLost", a.err)
	}
	if err := a.e.Check(nil); err != nil {
		t.Errorf("Check() after giving up leadership = %v", err)
	}
}

func TestRunOnce(t *testing.T) {
	e, err := New(nil, newFakeLeases(), testConfig("a", newFakeClock()))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := e.Run(ctx, nil); err != nil {
		t.Fatalf("first Run() = %v", err)
	}
	if err := e.Run(ctx, nil); err == nil {
		t.Error("second Run() = nil, want an error")
	}
}
