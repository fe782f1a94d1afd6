package leaderelection

import (
	"context"
	"errors"
	"testing"
	"time"
)

const (
	testLease = 8 * time.Second
	testRenew = 6 * time.Second
	testRetry = 2 * time.Second
)

func testConfig(id string, clock Clock) Config {
	return Config{
		Namespace: "kube-system", Name: "kube-scheduler", Identity: id,
		LeaseDuration: testLease, RenewDeadline: testRenew, RetryPeriod: testRetry,
		ReleaseOnCancel: true, Clock: clock,
	}
}

func TestTryAcquireOrRenew(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		// seed prepares the store; the candidate's first observation is at
		// the clock's start, then the clock moves by wait before the attempt.
		seed            func(f *fakeLeases, now time.Time)
		wait            time.Duration
		wantErr         bool
		wantHolder      string
		wantTransitions int32
		wantAcquired    time.Duration // acquireTime, from the clock's start
	}{
		{
			name:       "absent: created",
			seed:       func(*fakeLeases, time.Time) {},
			wantHolder: "me", wantTransitions: 0,
		},
		{
			name:       "held by another, not yet expired",
			seed:       func(f *fakeLeases, now time.Time) { seedLease(f, "other", now, 8) },
			wait:       7 * time.Second,
			wantErr:    true,
			wantHolder: "other",
		},
		{
			name:       "held by another, unchanged for its lease duration",
			seed:       func(f *fakeLeases, now time.Time) { seedLease(f, "other", now, 8) },
			wait:       8 * time.Second,
			wantHolder: "me", wantTransitions: 1, wantAcquired: 8 * time.Second,
		},
		{
			name: "expiry is measured from when it was observed, not the remote renewTime",
			// The holder's renewTime is an hour old by our clock (skew), but
			// we have only just seen the lease: it is still valid.
			seed:       func(f *fakeLeases, now time.Time) { seedLease(f, "other", now.Add(-time.Hour), 8) },
			wait:       7 * time.Second,
			wantErr:    true,
			wantHolder: "other",
		},
		{
			name:       "released: taken at once",
			seed:       func(f *fakeLeases, now time.Time) { seedLease(f, "", now, 1) },
			wantHolder: "me", wantTransitions: 1,
		},
		{
			name:       "ours: renewed, keeping acquireTime and transitions",
			seed:       func(f *fakeLeases, now time.Time) { seedLease(f, "me", now.Add(-time.Minute), 8) },
			wait:       time.Second,
			wantHolder: "me", wantTransitions: 0, wantAcquired: -time.Minute,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := newFakeClock()
			start := clock.Now()
			store := newFakeLeases()
			tt.seed(store, start)
			e, err := New(nil, store, testConfig("me", clock))
			if err != nil {
				t.Fatal(err)
			}
			if tt.wait > 0 {
				// First look, then wait: expiry counts from the first look.
				if err := e.tryAcquireOrRenew(ctx); err == nil && store.holder("kube-system", "kube-scheduler") != "me" {
					t.Fatal("first attempt reported success without holding the lease")
				}
				clock.Step(tt.wait)
			}
			err = e.tryAcquireOrRenew(ctx)
			var held *heldError
			if tt.wantErr != errors.As(err, &held) {
				t.Fatalf("tryAcquireOrRenew() = %v, want held error %v", err, tt.wantErr)
			}
			lease, _ := store.Get(ctx, "kube-system", "kube-scheduler")
			if got := holderOf(lease.Spec); got != tt.wantHolder {
				t.Fatalf("holder %q, want %q", got, tt.wantHolder)
			}
			if tt.wantErr {
				return
			}
			now := clock.Now()
			spec := lease.Spec
			if *spec.LeaseDurationSeconds != 8 || !spec.RenewTime.Time.Equal(now) {
				t.Errorf("leaseDurationSeconds %d renewTime %v, want 8 and %v", *spec.LeaseDurationSeconds, spec.RenewTime.Time, now)
			}
			if *spec.LeaseTransitions != tt.wantTransitions {
				t.Errorf("leaseTransitions %d, want %d", *spec.LeaseTransitions, tt.wantTransitions)
			}
			if want := start.Add(tt.wantAcquired); !spec.AcquireTime.Time.Equal(want) {
				t.Errorf("acquireTime %v, want %v", spec.AcquireTime.Time, want)
			}
		})
	}
}

func TestConflictingWriteLoses(t *testing.T) {
	ctx := context.Background()
	clock := newFakeClock()
	store := newFakeLeases()
	seedLease(store, "", clock.Now(), 1)
	e, _ := New(nil, store, testConfig("me", clock))
	stale, _ := store.Get(ctx, "kube-system", "kube-scheduler")
	// Someone else writes first; an update from the stale read conflicts.
	seedLease(store, "other", clock.Now(), 8)
	stale.Spec = e.spec(clock.Now(), clock.Now(), 1)
	if _, err := store.Update(ctx, stale); err == nil {
		t.Fatal("the fake store accepted a stale resourceVersion")
	}
	if err := e.tryAcquireOrRenew(ctx); err == nil {
		t.Fatal("took a lease another candidate had just renewed")
	}
	if got := store.holder("kube-system", "kube-scheduler"); got != "other" {
		t.Errorf("holder %q", got)
	}
}

func TestReleaseOnlyOwnLease(t *testing.T) {
	ctx := context.Background()
	clock := newFakeClock()
	store := newFakeLeases()
	seedLease(store, "other", clock.Now(), 8)
	e, _ := New(nil, store, testConfig("me", clock))
	e.release(ctx)
	if got := store.holder("kube-system", "kube-scheduler"); got != "other" {
		t.Fatalf("released another candidate's lease: holder %q", got)
	}
	seedLease(store, "me", clock.Now(), 8)
	e.release(ctx)
	lease, _ := store.Get(ctx, "kube-system", "kube-scheduler")
	if holderOf(lease.Spec) != "" || *lease.Spec.LeaseDurationSeconds != 1 {
		t.Errorf("released lease: %+v", lease.Spec)
	}
}
