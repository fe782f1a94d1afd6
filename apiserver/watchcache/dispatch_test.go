package watchcache

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"k8s.io/apimachinery/pkg/watch"

	"github.com/skiff-dev/skiff/apiserver/storage"
	"github.com/skiff-dev/skiff/internal/clocktest"
)

func TestASlowWatcherIsClosedWithoutBlockingAFastOne(t *testing.T) {
	h := start(t, Config{WatchBuffer: 2})
	fast := h.watch(0, "", storage.Predicate{}, WatchOptions{})
	slow := h.watch(0, "", storage.Predicate{}, WatchOptions{}) // never read until closed

	const n = 10
	closedSlow := false
	for i := range n {
		rev := h.src.put(pod("ns1", "p", "", "i="+string(rune('a'+i))))
		// The fast watcher gets each change, unless the dispatcher is
		// waiting on the slow one: then the budget runs out (the clock
		// moves 100ms) and the slow one is closed.
		for {
			waiting, added := h.clock.Has(clocktest.Exactly(budgetMax))
			if waiting {
				if closedSlow {
					t.Fatal("the dispatcher waits on a watcher again")
				}
				h.clock.Advance(budgetMax)
				closedSlow = true
				continue
			}
			select {
			case ev := <-fast.ResultChan():
				if ev.ResourceVersion != rev {
					t.Fatalf("fast watcher got %v, want the change at %d", describe(ev), rev)
				}
			case <-added:
				continue
			case <-time.After(testTimeout):
				t.Fatalf("fast watcher did not get the change at %d", rev)
			}
			break
		}
	}
	if !closedSlow {
		t.Fatal("the slow watcher was never waited on")
	}
	if err := closed(t, slow); !errors.Is(err, ErrTooSlow) {
		t.Errorf("slow watcher's Err = %v, want ErrTooSlow", err)
	}
	if v := testutil.ToFloat64(h.cache.metrics.terminated); v != 1 {
		t.Errorf("terminated watchers = %v, want 1", v)
	}
	if v := testutil.ToFloat64(h.cache.metrics.dispatched); v != n {
		t.Errorf("events dispatched = %v, want %d", v, n)
	}
}

func TestABlockedWatcherThatCatchesUpWithinTheBudgetStays(t *testing.T) {
	h := start(t, Config{WatchBuffer: 1})
	w := h.watch(0, "", storage.Predicate{}, WatchOptions{})
	var revs []int64
	for range 3 { // one in w's hands, one in its buffer, one the dispatcher waits with
		revs = append(revs, h.src.put(pod("ns1", "p", "")))
	}
	h.clock.WaitFor(t, clocktest.Exactly(budgetMax))
	for _, rev := range revs {
		if ev := next(t, w); ev.ResourceVersion != rev {
			t.Fatalf("got %v, want the change at %d", describe(ev), rev)
		}
	}
	rev := h.src.put(pod("ns1", "p", ""))
	if ev := next(t, w); ev.ResourceVersion != rev {
		t.Fatalf("got %v, want the change at %d", describe(ev), rev)
	}
	if v := testutil.ToFloat64(h.cache.metrics.terminated); v != 0 {
		t.Errorf("terminated watchers = %v, want 0", v)
	}
}

func TestBookmarksGoToIdleWatchers(t *testing.T) {
	h := start(t, Config{}, "a")
	from := h.src.revision()
	idle := h.watch(from, "ns1/", storage.Predicate{}, WatchOptions{AllowBookmarks: true})
	busy := h.watch(from, "ns2/", storage.Predicate{}, WatchOptions{AllowBookmarks: true})
	plain := h.watch(from, "ns1/", storage.Predicate{}, WatchOptions{})

	// tick advances the clock by d and waits until the dispatcher has looked
	// at the watchers (it waits for the next tick again).
	tick := func(d time.Duration) {
		h.clock.WaitFor(t, clocktest.Exactly(bookmarkTick))
		h.clock.Advance(d)
		h.clock.WaitFor(t, clocktest.Exactly(bookmarkTick))
	}
	tick(30 * time.Second)
	rev := h.src.put(pod("ns2", "b", "")) // the revision moves; only busy sees it
	if ev := next(t, busy); ev.ResourceVersion != rev {
		t.Fatalf("busy got %v, want the change at %d", describe(ev), rev)
	}
	tick(30 * time.Second) // idle: a minute without an event; busy: 30s
	if ev := next(t, idle); ev.Type != watch.Bookmark || ev.ResourceVersion != rev || ev.Object != nil {
		t.Errorf("idle watcher got %v, want a bookmark at %d", describe(ev), rev)
	}
	// Whoever had a bookmark has it before a later change.
	c := h.src.put(pod("ns1", "c", ""))
	d := h.src.put(pod("ns2", "d", ""))
	for _, tt := range []struct {
		name string
		w    *Watcher
		want brief
	}{
		{"idle", idle, brief{"ADDED", "ns1/c", c}},
		{"without bookmarks", plain, brief{"ADDED", "ns1/c", c}},
		{"busy", busy, brief{"ADDED", "ns2/d", d}},
	} {
		if got := describe(next(t, tt.w)); got != tt.want {
			t.Errorf("%s watcher got %v, want %v", tt.name, got, tt.want)
		}
	}
	tick(time.Minute)
	if ev := next(t, busy); ev.Type != watch.Bookmark || ev.ResourceVersion != d {
		t.Errorf("busy watcher got %v, want a bookmark at %d once idle for a minute", describe(ev), d)
	}
}

func TestABookmarkComesJustBeforeTheDeadline(t *testing.T) {
	h := start(t, Config{}, "a")
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	w, err := h.cache.Watch(ctx, h.src.revision(), "", storage.Predicate{}, WatchOptions{AllowBookmarks: true})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	rev := h.src.put(pod("ns1", "b", ""))
	next(t, w)
	h.clock.WaitFor(t, clocktest.Exactly(bookmarkTick))
	h.clock.Advance(time.Hour - 30*time.Second) // idle for more than a minute
	ev := next(t, w)
	if ev.Type != watch.Bookmark || ev.ResourceVersion != rev {
		t.Fatalf("got %v, want a bookmark", describe(ev))
	}
	// Move to 2s before the deadline: the last bookmark, though the watcher
	// had one 28s ago.
	h.clock.WaitFor(t, clocktest.Exactly(bookmarkTick))
	h.clock.Advance(28*time.Second + 10*time.Millisecond)
	if ev := next(t, w); ev.Type != watch.Bookmark {
		t.Fatalf("got %v, want the pre-timeout bookmark", describe(ev))
	}
}

func TestDispatchAllocatesNothingPerWatcher(t *testing.T) {
	h := newHarness(t, Config{WatchBuffer: 1000})
	c := h.cache
	c.mu.Lock()
	c.ready = true
	c.mu.Unlock()
	for range 50 {
		h.watch(0, "", storage.Predicate{}, WatchOptions{})
	}
	e := &event{typ: watch.Modified, rev: 1, cur: c.newEntry(pod("ns1", "a", "")), prev: c.newEntry(pod("ns1", "a", ""))}
	allocs := testing.AllocsPerRun(100, func() {
		e.rev++
		c.dispatchEvent(e)
	})
	if allocs != 0 {
		t.Errorf("dispatching to 50 watchers allocates %v times, want 0", allocs)
	}
}

func TestEncodedOnceForAllWatchers(t *testing.T) {
	h := start(t, Config{}, "a")
	var ws []*Watcher
	for range 20 {
		ws = append(ws, h.watch(h.src.revision(), "", storage.Predicate{}, WatchOptions{}))
	}
	h.src.put(pod("ns1", "b", ""))
	var calls atomic.Int32
	encode := func(obj storage.Object) ([]byte, error) {
		calls.Add(1)
		return []byte(obj.GetName()), nil
	}
	var wg sync.WaitGroup
	for _, w := range ws {
		ev := next(t, w)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, key := range []string{"json", "protobuf"} {
				if b, err := ev.Encoded(key, encode); err != nil || string(b) != "b" {
					t.Errorf("Encoded(%s) = %q, %v", key, b, err)
				}
			}
		}()
	}
	wg.Wait()
	if n := calls.Load(); n != 2 {
		t.Errorf("encoded %d times for 20 watchers and 2 encodings, want 2", n)
	}
	bm := WatchEvent{Type: watch.Bookmark, ResourceVersion: 3}
	if _, err := bm.Encoded("json", encode); err == nil {
		t.Error("a bookmark encoded an object")
	}
}
