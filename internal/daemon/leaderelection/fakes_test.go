package leaderelection

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	coordinationv1 "k8s.io/api/coordination/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// fakeClock is a manual clock. Candidates sharing it are "settled" when each
// waits on exactly one timer: then the test may look at the state and Step.
type fakeClock struct {
	mu           sync.Mutex
	changed      *sync.Cond
	now          time.Time
	timers       map[*fakeTimer]bool
	participants int
}

func newFakeClock() *fakeClock {
	c := &fakeClock{now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), timers: map[*fakeTimer]bool{}}
	c.changed = sync.NewCond(&c.mu)
	return c
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) NewTimer(d time.Duration) Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &fakeTimer{clock: c, at: c.now.Add(d), c: make(chan time.Time, 1)}
	c.timers[t] = true
	c.changed.Broadcast()
	return t
}

// Step moves the clock forward by d and fires the timers that are due.
func (c *fakeClock) Step(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	for t := range c.timers {
		if !t.at.After(c.now) {
			t.c <- c.now
			delete(c.timers, t)
		}
	}
	c.changed.Broadcast()
}

// join and leave count the goroutines that wait on this clock when idle.
func (c *fakeClock) join() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.participants++
	c.changed.Broadcast()
}

func (c *fakeClock) leave() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.participants--
	c.changed.Broadcast()
}

// settle waits until every participant waits on one timer.
func (c *fakeClock) settle(t *testing.T) {
	t.Helper()
	c.waitFor(t, "every candidate waiting on its timer", func() bool { return len(c.timers) == c.participants })
}

// waitFor waits until cond (called with c.mu held) holds; it fails the test
// if that takes more than ten seconds of real time, which means a deadlock.
func (c *fakeClock) waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	stuck := false
	timeout := time.AfterFunc(10*time.Second, func() {
		c.mu.Lock()
		stuck = true
		c.changed.Broadcast()
		c.mu.Unlock()
	})
	defer timeout.Stop()
	c.mu.Lock()
	defer c.mu.Unlock()
	for !cond() && !stuck {
		c.changed.Wait()
	}
	if stuck {
		t.Fatalf("timed out waiting for %s (timers %d, participants %d)", what, len(c.timers), c.participants)
	}
}

type fakeTimer struct {
	clock *fakeClock
	at    time.Time
	c     chan time.Time
}

func (t *fakeTimer) C() <-chan time.Time { return t.c }

func (t *fakeTimer) Stop() bool {
	t.clock.mu.Lock()
	defer t.clock.mu.Unlock()
	active := t.clock.timers[t]
	delete(t.clock.timers, t)
	t.clock.changed.Broadcast()
	return active
}

// fakeLeases is an in-memory lease store with the API server's optimistic
// concurrency: Update fails with a Conflict unless the resourceVersion is
// the stored one. It keeps every successful write for the invariants, and
// can hold writes so candidates race on the same version.
type fakeLeases struct {
	mu      sync.Mutex
	changed *sync.Cond
	leases  map[string]*coordinationv1.Lease
	version int
	history []coordinationv1.LeaseSpec
	hold    bool
	held    int // writes waiting while hold is set
}

func newFakeLeases() *fakeLeases {
	f := &fakeLeases{leases: map[string]*coordinationv1.Lease{}}
	f.changed = sync.NewCond(&f.mu)
	return f
}

var leasesResource = coordinationv1.Resource("leases")

func (f *fakeLeases) Get(_ context.Context, namespace, name string) (*coordinationv1.Lease, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	l, ok := f.leases[namespace+"/"+name]
	if !ok {
		return nil, apierrors.NewNotFound(leasesResource, name)
	}
	return l.DeepCopy(), nil
}

func (f *fakeLeases) Create(_ context.Context, lease *coordinationv1.Lease) (*coordinationv1.Lease, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.waitWhileHeld()
	key := lease.Namespace + "/" + lease.Name
	if _, ok := f.leases[key]; ok {
		return nil, apierrors.NewAlreadyExists(leasesResource, lease.Name)
	}
	return f.store(key, lease), nil
}

func (f *fakeLeases) Update(_ context.Context, lease *coordinationv1.Lease) (*coordinationv1.Lease, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.waitWhileHeld()
	key := lease.Namespace + "/" + lease.Name
	cur, ok := f.leases[key]
	if !ok {
		return nil, apierrors.NewNotFound(leasesResource, lease.Name)
	}
	if lease.ResourceVersion != cur.ResourceVersion {
		return nil, apierrors.NewConflict(leasesResource, lease.Name,
			errors.New("the object has been modified; please apply your changes to the latest version and try again"))
	}
	return f.store(key, lease), nil
}

func (f *fakeLeases) store(key string, lease *coordinationv1.Lease) *coordinationv1.Lease {
	f.version++
	l := lease.DeepCopy()
	l.ResourceVersion = strconv.Itoa(f.version)
	f.leases[key] = l
	f.history = append(f.history, *l.Spec.DeepCopy())
	f.changed.Broadcast()
	return l.DeepCopy()
}

func (f *fakeLeases) waitWhileHeld() {
	if !f.hold {
		return
	}
	f.held++
	f.changed.Broadcast()
	for f.hold {
		f.changed.Wait()
	}
	f.held--
}

func (f *fakeLeases) setHold(hold bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.hold = hold
	f.changed.Broadcast()
}

// waitHeld waits until n writes are held.
func (f *fakeLeases) waitHeld(t *testing.T, n int) {
	t.Helper()
	stuck := false
	timeout := time.AfterFunc(10*time.Second, func() {
		f.mu.Lock()
		stuck = true
		f.changed.Broadcast()
		f.mu.Unlock()
	})
	defer timeout.Stop()
	f.mu.Lock()
	defer f.mu.Unlock()
	for f.held < n && !stuck {
		f.changed.Wait()
	}
	if stuck {
		t.Fatalf("timed out waiting for %d held writes (have %d)", n, f.held)
	}
}

func (f *fakeLeases) holder(namespace, name string) string {
	l, err := f.Get(context.Background(), namespace, name)
	if err != nil {
		return ""
	}
	return holderOf(l.Spec)
}

func (f *fakeLeases) writes() []coordinationv1.LeaseSpec {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]coordinationv1.LeaseSpec(nil), f.history...)
}

// checkHistory asserts that the store never had two leaders at once: every
// change of holder away from a live holder happened no earlier than that
// holder's last renewal plus its lease duration, and each new holder
// counted one more transition.
func checkHistory(t *testing.T, history []coordinationv1.LeaseSpec) {
	t.Helper()
	for i := 1; i < len(history); i++ {
		prev, next := history[i-1], history[i]
		from, to := holderOf(prev), holderOf(next)
		if from == to || from == "" || to == "" {
			continue
		}
		expiry := prev.RenewTime.Add(time.Duration(*prev.LeaseDurationSeconds) * time.Second)
		if next.AcquireTime.Time.Before(expiry) {
			t.Errorf("write %d: %q took the lease at %v while %q held it until %v", i, to, next.AcquireTime.Time, from, expiry)
		}
		if *next.LeaseTransitions != *prev.LeaseTransitions+1 {
			t.Errorf("write %d: holder %q→%q but transitions %d→%d", i, from, to, *prev.LeaseTransitions, *next.LeaseTransitions)
		}
	}
}

// seedLease stores a lease held by holder, renewed at renewed.
func seedLease(f *fakeLeases, holder string, renewed time.Time, seconds int32) {
	zero := int32(0)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.store("kube-system/kube-scheduler", &coordinationv1.Lease{
		ObjectMeta: metav1.ObjectMeta{Namespace: "kube-system", Name: "kube-scheduler"},
		Spec: coordinationv1.LeaseSpec{
			HolderIdentity:       &holder,
			LeaseDurationSeconds: &seconds,
			AcquireTime:          &metav1.MicroTime{Time: renewed},
			RenewTime:            &metav1.MicroTime{Time: renewed},
			LeaseTransitions:     &zero,
		},
	})
}

// faultyLeases wraps a store: while failing, every call returns an error;
// while blocking, calls wait until unblocked or their context ends.
type faultyLeases struct {
	Leases
	mu      sync.Mutex
	failing bool
	block   chan struct{} // nil: not blocking
	entered chan struct{} // receives when a call starts blocking
}

func (f *faultyLeases) setFailing(v bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failing = v
}

func (f *faultyLeases) gate(ctx context.Context) error {
	f.mu.Lock()
	failing, block, entered := f.failing, f.block, f.entered
	f.mu.Unlock()
	if failing {
		return errors.New("connection refused")
	}
	if block != nil {
		entered <- struct{}{}
		select {
		case <-block:
			return errors.New("connection reset")
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

func (f *faultyLeases) Get(ctx context.Context, namespace, name string) (*coordinationv1.Lease, error) {
	if err := f.gate(ctx); err != nil {
		return nil, err
	}
	return f.Leases.Get(ctx, namespace, name)
}

func (f *faultyLeases) Update(ctx context.Context, lease *coordinationv1.Lease) (*coordinationv1.Lease, error) {
	if err := f.gate(ctx); err != nil {
		return nil, err
	}
	return f.Leases.Update(ctx, lease)
}

func (f *faultyLeases) Create(ctx context.Context, lease *coordinationv1.Lease) (*coordinationv1.Lease, error) {
	if err := f.gate(ctx); err != nil {
		return nil, err
	}
	return f.Leases.Create(ctx, lease)
}
