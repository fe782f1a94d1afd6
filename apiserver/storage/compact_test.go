package storage

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// manualCompactor runs s's compactor on ticks the test sends.
type manualCompactor struct {
	tick  chan time.Time
	steps chan compactStep
	stop  context.CancelFunc
	done  chan error
	once  sync.Once
}

func startManualCompactor(t *testing.T, s *Store) *manualCompactor {
	t.Helper()
	m := &manualCompactor{tick: make(chan time.Time), steps: make(chan compactStep), done: make(chan error, 1)}
	s.after = func(time.Duration) <-chan time.Time { return m.tick }
	s.onCompact = func(step compactStep) { m.steps <- step }
	ctx, cancel := context.WithCancel(context.Background())
	m.stop = cancel
	go func() { m.done <- s.RunCompactor(ctx, time.Minute) }()
	t.Cleanup(func() { m.halt(t) })
	return m
}

// step ticks once and returns what the compactor did.
func (m *manualCompactor) step(t *testing.T) compactStep {
	t.Helper()
	m.tick <- time.Now()
	select {
	case s := <-m.steps:
		if s.err != nil {
			t.Fatalf("compaction step: %v", s.err)
		}
		return s
	case <-time.After(10 * time.Second):
		t.Fatal("no compaction step in 10s")
	}
	return compactStep{}
}

func (m *manualCompactor) halt(t *testing.T) {
	m.once.Do(func() {
		m.stop()
		select {
		case err := <-m.done:
			if err != nil {
				t.Errorf("RunCompactor: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("RunCompactor did not return after its context ended")
		}
	})
}

// compactedBelow says whether revisions below rev are compacted and rev is
// still readable.
func compactedBelow(t *testing.T, ctx context.Context, c *clientv3.Client, rev int64) bool {
	t.Helper()
	if _, err := c.Get(ctx, "x", clientv3.WithRev(rev)); err != nil {
		return false
	}
	_, err := c.Get(ctx, "x", clientv3.WithRev(rev-1))
	return errors.Is(err, rpctypes.ErrCompacted)
}

func TestCompactorOneCompactionPerInterval(t *testing.T) {
	a := newTestEnv(t)
	b := newTestEnvOn(t, a.client)
	ctx := testContext(t)
	ca, cb := startManualCompactor(t, a.store), startManualCompactor(t, b.store)

	var prevA, prevB compactStep
	for round := int64(1); round <= 4; round++ {
		a.mustCreate(t, ctx, "ns", fmt.Sprintf("a-%d", round), nil)
		sa := ca.step(t)
		b.mustCreate(t, ctx, "ns", fmt.Sprintf("b-%d", round), nil)
		sb := cb.step(t)
		switch {
		case round == 1 && sa.compacted != 0:
			t.Errorf("round 1: compacted at %d on the first tick", sa.compacted)
		case round > 1 && sa.compacted != prevA.rev:
			t.Errorf("round %d: A compacted at %d, want the revision it recorded a tick ago, %d", round, sa.compacted, prevA.rev)
		}
		if sb.compacted != 0 {
			t.Errorf("round %d: B compacted at %d too", round, sb.compacted)
		}
		if sa.time != round || sb.time != round {
			t.Errorf("round %d: compact times A %d B %d, want %d", round, sa.time, sb.time, round)
		}
		prevA, prevB = sa, sb
	}
	resp, err := a.client.Get(ctx, compactRevKey)
	if err != nil || len(resp.Kvs) != 1 || resp.Kvs[0].Version != 4 {
		t.Fatalf("%s = %v, %v; want version 4 (one swap per interval)", compactRevKey, resp, err)
	}
	if !compactedBelow(t, ctx, a.client, prevA.compacted) {
		t.Errorf("etcd not compacted at %d", prevA.compacted)
	}

	// A stops: B takes over at its next tick, compacting at the revision it
	// saw when it last lost.
	ca.halt(t)
	b.mustCreate(t, ctx, "ns", "after-a", nil)
	if s := cb.step(t); s.compacted != prevB.rev || s.time != 5 {
		t.Errorf("B after A stopped: %+v, want a compaction at %d", s, prevB.rev)
	}
}

func TestRunCompactorWithRealTimer(t *testing.T) {
	e := newTestEnv(t)
	ctx := testContext(t)
	for i := 0; i < 3; i++ {
		e.mustCreate(t, ctx, "ns", fmt.Sprintf("cm-%d", i), nil)
	}
	early := e.revision(t, ctx)
	wctx, cancelWatch := context.WithCancel(ctx)
	defer cancelWatch()
	swaps := e.client.Watch(wctx, compactRevKey)

	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- e.store.RunCompactor(runCtx, 50*time.Millisecond) }()
	// The second swap compacted at the revision of the first one.
	for seen := 0; seen < 3; {
		select {
		case resp := <-swaps:
			seen += len(resp.Events)
		case <-ctx.Done():
			t.Fatal("compactor did not swap compact_rev_key three times")
		}
	}
	stop()
	if err := <-done; err != nil {
		t.Fatalf("RunCompactor: %v", err)
	}
	if _, err := e.client.Get(ctx, "x", clientv3.WithRev(early)); !errors.Is(err, rpctypes.ErrCompacted) {
		t.Errorf("read at %d after compaction: %v, want ErrCompacted", early, err)
	}
}

func TestRunCompactorDisabled(t *testing.T) {
	s := New(nil, nil, "/registry", nil)
	done := make(chan error, 1)
	go func() { done <- s.RunCompactor(context.Background(), 0) }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("RunCompactor(0) = %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Error("RunCompactor(0) did not return")
	}
}
