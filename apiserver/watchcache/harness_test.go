package watchcache

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap/zaptest"

	"github.com/skiff-dev/skiff/apiserver/storage"
	"github.com/skiff-dev/skiff/internal/clocktest"
)

// testTimeout bounds every wait in the tests; nothing waits for it unless
// something is broken.
const testTimeout = 10 * time.Second

type harness struct {
	t     *testing.T
	src   *fakeSource
	clock *clocktest.Fake
	reg   *prometheus.Registry
	cache *Cache
	stop  func()
}

// start runs a cache of pods over a source holding the given pods, with a
// fake clock, and waits until it is ready and watching.
func start(t *testing.T, cfg Config, pods ...string) *harness {
	t.Helper()
	h := newHarness(t, cfg)
	for _, name := range pods {
		h.src.put(pod("ns1", name, ""))
	}
	h.run()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	if err := h.cache.WaitReady(ctx); err != nil {
		t.Fatalf("WaitReady: %v", err)
	}
	h.src.waitCalls(t, 1, 1) // the cache follows the source's watch
	return h
}

// newHarness builds the cache without running it.
func newHarness(t *testing.T, cfg Config) *harness {
	t.Helper()
	h := &harness{t: t, src: newFakeSource(), clock: clocktest.NewFake(), reg: prometheus.NewRegistry()}
	cfg.Resource = "pods"
	cfg.GetAttrs = podAttrs
	cfg.Clock = h.clock
	cfg.Registerer = h.reg
	h.cache = New(zaptest.NewLogger(t), h.src, "/registry/pods/", cfg)
	return h
}

func (h *harness) run() {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.cache.Run(ctx) }()
	var once sync.Once
	h.stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					h.t.Errorf("Run: %v", err)
				}
			case <-time.After(testTimeout):
				h.t.Error("Run did not return")
			}
		})
	}
	h.t.Cleanup(h.stop)
}

// waitRev waits until the cache has reached rev.
func (h *harness) waitRev(rev int64) {
	h.t.Helper()
	deadline := time.After(testTimeout)
	for {
		h.cache.mu.RLock()
		cur, changed := h.cache.rev, h.cache.changed
		h.cache.mu.RUnlock()
		if cur >= rev {
			return
		}
		select {
		case <-changed:
		case <-deadline:
			h.t.Fatalf("cache stuck at revision %d, want %d", cur, rev)
		}
	}
}

// watch starts a watch that the test's end stops.
func (h *harness) watch(fromRV int64, prefix string, pred storage.Predicate, opts WatchOptions) *Watcher {
	h.t.Helper()
	w, err := h.cache.Watch(context.Background(), fromRV, prefix, pred, opts)
	if err != nil {
		h.t.Fatalf("Watch from %d: %v", fromRV, err)
	}
	h.t.Cleanup(w.Stop)
	return w
}

// next returns w's next event.
func next(t *testing.T, w *Watcher) WatchEvent {
	t.Helper()
	select {
	case ev, ok := <-w.ResultChan():
		if !ok {
			t.Fatalf("watch closed (err %v), want an event", w.Err())
		}
		return ev
	case <-time.After(testTimeout):
		t.Fatal("no watch event")
	}
	return WatchEvent{}
}

// closed waits for w's channel to close, dropping what it still holds, and
// returns its error.
func closed(t *testing.T, w *Watcher) error {
	t.Helper()
	deadline := time.After(testTimeout)
	for {
		select {
		case _, ok := <-w.ResultChan():
			if !ok {
				return w.Err()
			}
		case <-deadline:
			t.Fatal("watch not closed")
		}
	}
}

// brief describes an event for comparisons: "ADDED ns1/a 3".
type brief struct {
	Type string
	Key  string
	RV   int64
}

func describe(ev WatchEvent) brief {
	b := brief{Type: string(ev.Type), RV: ev.ResourceVersion}
	if ev.Object != nil {
		b.Key = NamespaceKey(ev.Object)
	}
	return b
}

// take returns w's next n events, described.
func take(t *testing.T, w *Watcher, n int) []brief {
	t.Helper()
	out := make([]brief, n)
	for i := range out {
		out[i] = describe(next(t, w))
	}
	return out
}

func isExpired(err error) (*ExpiredError, bool) {
	var e *ExpiredError
	return e, errors.As(err, &e) && errors.Is(err, storage.ErrExpired)
}
