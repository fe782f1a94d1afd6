package daemons

import (
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/internal/fakeapi"
	"github.com/skiff-dev/skiff/test/process"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

const leaderSeries = `leader_election_master_status{name="kube-scheduler"}`

// leading reads each process's leader_election_master_status.
func leading(t *testing.T, procs ...*process.Proc) []bool {
	t.Helper()
	out := make([]bool, len(procs))
	for i, p := range procs {
		_, body := process.Get(t, "https://"+p.Address("secure-serving")+"/metrics")
		v, _ := process.MetricValue(body, leaderSeries)
		out[i] = v == "1"
	}
	return out
}

// eventually polls cond (the state lives in other processes) until it
// holds or the deadline passes.
func eventually(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not within %s: %s", within, what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func lease(t *testing.T, srv *fakeapi.Server) (holder string, transitions int64) {
	t.Helper()
	l, ok := srv.Get(fakeapi.Leases, "kube-system", "kube-scheduler")
	if !ok {
		return "", 0
	}
	holder, _, _ = unstructured.NestedString(l.Object, "spec", "holderIdentity")
	transitions, _, _ = unstructured.NestedInt64(l.Object, "spec", "leaseTransitions")
	return holder, transitions
}

// twoSchedulers starts two kube-schedulers on one fakeapi (3s leases) and
// waits until exactly one leads.
func twoSchedulers(t *testing.T) (srv *fakeapi.Server, leader, standby *process.Proc) {
	t.Helper()
	srv = fakeapi.New(t)
	args := []string{"--secure-port=0", "--kubeconfig=" + kubeconfigFor(t, srv),
		"--leader-elect-lease-duration=3s", "--leader-elect-renew-deadline=2s", "--leader-elect-retry-period=250ms"}
	a, b := process.Start(t, "kube-scheduler", args...), process.Start(t, "kube-scheduler", args...)
	eventually(t, 20*time.Second, "one scheduler leads", func() bool {
		l := leading(t, a, b)
		switch {
		case l[0] && !l[1]:
			leader, standby = a, b
		case l[1] && !l[0]:
			leader, standby = b, a
		}
		return leader != nil
	})
	return srv, leader, standby
}

// Two schedulers: one leads; when it stops, the other takes over within
// the lease duration, and leadership shows in /healthz and /metrics.
func TestSchedulersFailOverOnTheirLease(t *testing.T) {
	srv, leader, standby := twoSchedulers(t)
	holder, transitions := lease(t, srv)
	if holder == "" {
		t.Fatal("the lease names no holder")
	}
	if code, body := process.Get(t, "https://"+leader.Address("secure-serving")+"/healthz?verbose"); code != 200 || !strings.Contains(body, "[+]leaderElection ok") {
		t.Errorf("leader's /healthz?verbose: %d %q", code, body)
	}
	if l := leading(t, leader, standby); l[0] && l[1] {
		t.Fatal("two leaders")
	}

	if err := leader.Stop(); err != nil {
		t.Errorf("leader's exit after SIGTERM: %v", err)
	}
	start := time.Now()
	eventually(t, 3*time.Second+time.Second, "the standby takes over within the lease duration", func() bool {
		return leading(t, standby)[0]
	})
	t.Logf("standby led %s after the leader's SIGTERM", time.Since(start).Round(time.Millisecond))
	newHolder, newTransitions := lease(t, srv)
	if newHolder == holder || newHolder == "" {
		t.Errorf("lease holder %q after failover, was %q", newHolder, holder)
	}
	if newTransitions != transitions+1 {
		t.Errorf("leaseTransitions %d, want %d", newTransitions, transitions+1)
	}
	if err := standby.Stop(); err != nil {
		t.Errorf("standby's exit after SIGTERM: %v", err)
	}
}

// A leader that stops renewing (frozen with SIGSTOP) loses its lease to the
// standby within the lease duration; when it wakes it finds the lease gone
// and exits at once rather than work beside the new leader.
func TestFrozenLeaderIsReplacedAndExitsOnWaking(t *testing.T) {
	srv, leader, standby := twoSchedulers(t)
	holder, _ := lease(t, srv)

	if err := leader.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	frozen := time.Now()
	eventually(t, 3*time.Second+2*time.Second, "the standby takes over within the lease duration", func() bool {
		return leading(t, standby)[0]
	})
	t.Logf("standby led %s after the leader froze", time.Since(frozen).Round(time.Millisecond))
	if h, _ := lease(t, srv); h == holder {
		t.Errorf("lease still held by the frozen leader %q", h)
	}

	if err := leader.Signal(syscall.SIGCONT); err != nil {
		t.Fatal(err)
	}
	if err := leader.Wait(); err == nil {
		t.Error("the deposed leader exited with code 0; want an error (leadership lost)")
	}
	if log := leader.Log(); !strings.Contains(log, "leadership") {
		t.Errorf("the deposed leader's log does not say it lost leadership:\n%s", log)
	}
	if !leading(t, standby)[0] {
		t.Error("the new leader stopped leading")
	}
}
