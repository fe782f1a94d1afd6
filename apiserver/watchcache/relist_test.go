package watchcache

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"k8s.io/apimachinery/pkg/watch"

	"github.com/skiff-dev/skiff/apiserver/storage"
	"github.com/skiff-dev/skiff/internal/clocktest"
)

func TestADroppedWatchResumesWithoutLosingOrRepeatingChanges(t *testing.T) {
	h := start(t, Config{}, "a")
	w := h.watch(h.src.revision(), "", storage.Predicate{}, WatchOptions{})
	var want []int64
	want = append(want, h.src.put(pod("ns1", "b", "")), h.src.put(pod("ns1", "c", "")))
	h.waitRev(want[1])
	h.src.hold() // the next change is in etcd but the watch breaks before sending it
	want = append(want, h.src.put(pod("ns1", "d", "")))
	h.src.drop()
	want = append(want, h.src.put(pod("ns1", "e", "")), h.src.del("ns1", "b"))

	var got []int64
	for range want {
		got = append(got, next(t, w).ResourceVersion)
	}
	if !slices.Equal(got, want) {
		t.Errorf("watcher got revisions %v, want %v", got, want)
	}
	lists, froms := h.src.counts()
	if lists != 1 || !slices.Equal(froms, []int64{1, want[1]}) {
		t.Errorf("lists %d, watches from %v; want 1 list, watches from 1 and %d", lists, froms, want[1])
	}
}

func TestAWatchDroppedAtOnceIsResumedAfterABackoff(t *testing.T) {
	h := start(t, Config{}, "a")
	h.src.drop()
	h.clock.WaitFor(t, func(d time.Duration) bool { return d >= 400*time.Millisecond && d <= 800*time.Millisecond })
	if _, froms := h.src.counts(); len(froms) != 1 {
		t.Fatalf("watches from %v before the backoff, want one", froms)
	}
	h.clock.Advance(800 * time.Millisecond)
	rev := h.src.put(pod("ns1", "b", ""))
	h.waitRev(rev)
	if lists, froms := h.src.counts(); lists != 1 || !slices.Equal(froms, []int64{1, 1}) {
		t.Errorf("lists %d, watches from %v; want 1 list and two watches from 1", lists, froms)
	}
}

func TestAnExpiredWatchRelistsAndClosesTheWatchersBehind(t *testing.T) {
	h := start(t, Config{}, "a")
	w := h.watch(0, "", storage.Predicate{}, WatchOptions{})
	b := h.src.put(pod("ns1", "b", ""))
	h.waitRev(b)
	h.src.hold()
	h.src.put(pod("ns1", "c", "")) // never seen by the cache's watch
	gone := h.src.put(pod("ns1", "a", ""))
	ahead := h.watch(gone, "", storage.Predicate{}, WatchOptions{}) // a position the relist reaches
	h.src.expire()
	h.waitRev(gone)

	if got := take(t, w, 2); !slices.Equal(got, []brief{{"ADDED", "ns1/a", 1}, {"ADDED", "ns1/b", b}}) {
		t.Errorf("before closing the watcher got %v, want a and b", got)
	}
	err := closed(t, w)
	if e, ok := isExpired(err); !ok || e.Requested != b || e.Oldest != gone {
		t.Errorf("Err = %v, want expired from %d (%d)", err, b, gone)
	}
	if _, err := h.cache.Watch(context.Background(), b, "", storage.Predicate{}, WatchOptions{}); err == nil {
		t.Error("a watch from before the relist succeeded")
	} else if _, ok := isExpired(err); !ok {
		t.Errorf("a watch from before the relist: %v, want expired", err)
	}
	after := h.watch(gone, "", storage.Predicate{}, WatchOptions{})
	d := h.src.put(pod("ns1", "d", ""))
	for name, w := range map[string]*Watcher{"ahead": ahead, "after": after} {
		if got := describe(next(t, w)); got != (brief{"ADDED", "ns1/d", d}) {
			t.Errorf("%s watcher got %v, want d at %d", name, got, d)
		}
	}
	objs, _, _ := h.cache.List(context.Background(), 0, "", storage.Predicate{})
	if !slices.Equal(keys(objs), []string{"ns1/a", "ns1/b", "ns1/c", "ns1/d"}) {
		t.Errorf("List after the relist = %v", keys(objs))
	}
	if lists, _ := h.src.counts(); lists != 2 {
		t.Errorf("lists = %d, want 2", lists)
	}
	if v := testutil.ToFloat64(h.cache.metrics.initializations); v != 2 {
		t.Errorf("initializations = %v, want 2", v)
	}
	if v := testutil.ToFloat64(h.cache.metrics.terminated); v != 0 {
		t.Errorf("terminated (unresponsive) watchers = %v, want 0", v)
	}
}

func TestAnExpiredWatchWithNothingMissedKeepsTheWatchers(t *testing.T) {
	h := start(t, Config{}, "a")
	w := h.watch(h.src.revision(), "", storage.Predicate{}, WatchOptions{})
	b := h.src.put(pod("ns1", "b", ""))
	h.waitRev(b)
	h.src.expire() // the cache relists at the revision it had
	h.src.waitCalls(t, 2, 0)
	c := h.src.put(pod("ns1", "c", ""))
	if got := []int64{next(t, w).ResourceVersion, next(t, w).ResourceVersion}; !slices.Equal(got, []int64{b, c}) {
		t.Errorf("watcher got %v, want %d and %d", got, b, c)
	}
	if lists, _ := h.src.counts(); lists != 2 {
		t.Errorf("lists = %d, want 2", lists)
	}
}

func TestProgressNotificationsMoveTheRevision(t *testing.T) {
	h := start(t, Config{}, "a")
	w := h.watch(h.src.revision(), "", storage.Predicate{}, WatchOptions{AllowBookmarks: true})
	h.src.skip(5)
	rev := h.src.bookmark()
	h.waitRev(rev)
	_, got, err := h.cache.List(context.Background(), rev, "", storage.Predicate{})
	if err != nil || got != rev {
		t.Fatalf("List at %d = %d, %v", rev, got, err)
	}
	// A watch from the notified revision is served.
	h.watch(rev, "", storage.Predicate{}, WatchOptions{})
	// Bookmarks carry it once the dispatcher has had it (which can be after
	// the first tick: that bookmark carries the revision before).
	for {
		h.clock.WaitFor(t, clocktest.Exactly(bookmarkTick))
		h.clock.Advance(DefaultBookmarkInterval)
		ev := next(t, w)
		if ev.Type != watch.Bookmark || (ev.ResourceVersion != rev && ev.ResourceVersion != 1) {
			t.Fatalf("got %v, want a bookmark at %d", describe(ev), rev)
		}
		if ev.ResourceVersion == rev {
			return
		}
	}
}
