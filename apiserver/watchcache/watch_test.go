package watchcache

import (
	"context"
	"errors"
	"slices"
	"testing"

	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/watch"

	"github.com/skiff-dev/skiff/apiserver/storage"
	"github.com/skiff-dev/skiff/internal/clocktest"
)

func TestWatchFromZeroSendsTheStateThenTheChanges(t *testing.T) {
	h := start(t, Config{}, "b", "a") // a at 2, b at 1
	w := h.watch(0, "", storage.Predicate{}, WatchOptions{})
	c := h.src.put(pod("ns1", "c", ""))
	d := h.src.del("ns1", "a")
	got := take(t, w, 4)
	want := []brief{{"ADDED", "ns1/a", 2}, {"ADDED", "ns1/b", 1}, {"ADDED", "ns1/c", c}, {"DELETED", "ns1/a", d}}
	if !slices.Equal(got, want) {
		t.Errorf("events %v, want %v", got, want)
	}
}

func TestWatchFromARevisionInTheRing(t *testing.T) {
	h := start(t, Config{}, "a") // listed at 1
	var revs []int64
	for _, name := range []string{"b", "c", "d"} {
		revs = append(revs, h.src.put(pod("ns1", name, "")))
	}
	h.waitRev(revs[2])
	all := []brief{{"ADDED", "ns1/b", revs[0]}, {"ADDED", "ns1/c", revs[1]}, {"ADDED", "ns1/d", revs[2]}}
	tests := []struct {
		name string
		from int64
		want []brief
	}{
		{"the list's revision", 1, all},
		{"inside", revs[0], all[1:]},
		{"the latest", revs[2], nil},
	}
	watchers := make([]*Watcher, len(tests))
	for i, tt := range tests {
		watchers[i] = h.watch(tt.from, "", storage.Predicate{}, WatchOptions{})
	}
	e := h.src.put(pod("ns1", "e", ""))
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := append(slices.Clone(tt.want), brief{"ADDED", "ns1/e", e})
			if got := take(t, watchers[i], len(want)); !slices.Equal(got, want) {
				t.Errorf("events %v, want %v", got, want)
			}
		})
	}
}

func TestWatchFromAnEvictedRevisionExpires(t *testing.T) {
	h := start(t, Config{Capacity: 4, MaxCapacity: 4}, "a") // listed at 1
	var last int64
	for range 10 {
		last = h.src.put(pod("ns1", "a", ""))
	}
	h.waitRev(last) // ring holds 8..11: 7 was evicted last
	tests := []struct {
		from    int64
		expired bool
	}{
		{1, true},
		{6, true},
		{7, false},
		{9, false},
		{last + 3, false}, // ahead of the cache
	}
	for _, tt := range tests {
		w, err := h.cache.Watch(context.Background(), tt.from, "", storage.Predicate{}, WatchOptions{})
		if !tt.expired {
			if err != nil {
				t.Errorf("Watch from %d: %v", tt.from, err)
				continue
			}
			w.Stop()
			continue
		}
		e, ok := isExpired(err)
		if !ok {
			t.Errorf("Watch from %d = %v, want expired", tt.from, err)
			continue
		}
		if e.Requested != tt.from || e.Oldest != 7 {
			t.Errorf("Watch from %d: %+v, want oldest 7", tt.from, e)
		}
	}
	_, err := h.cache.Watch(context.Background(), 3, "", storage.Predicate{}, WatchOptions{})
	if e, _ := isExpired(err); e == nil || e.Error() != "too old resource version: 3 (7)" {
		t.Errorf("message of %v, want upstream's", err)
	}
}

func TestWatchBeforeTheListRevisionExpires(t *testing.T) {
	h := start(t, Config{}, "a", "b", "c") // listed at 3, nothing evicted
	if _, err := h.cache.Watch(context.Background(), 2, "", storage.Predicate{}, WatchOptions{}); err == nil {
		t.Error("Watch from 2 succeeded, want expired")
	} else if _, ok := isExpired(err); !ok {
		t.Errorf("Watch from 2 = %v, want expired", err)
	}
}

func TestWatchFromAFutureRevisionGetsOnlyLaterChanges(t *testing.T) {
	h := start(t, Config{}, "a")
	from := h.src.revision() + 2
	w := h.watch(from, "", storage.Predicate{}, WatchOptions{})
	h.src.put(pod("ns1", "b", ""))
	h.src.put(pod("ns1", "c", ""))
	d := h.src.put(pod("ns1", "d", ""))
	if got := describe(next(t, w)); got != (brief{"ADDED", "ns1/d", d}) {
		t.Errorf("first event %v, want d at %d", got, d)
	}
}

func TestSelectorTransitions(t *testing.T) {
	web, _ := labels.Parse("app=web")
	h := start(t, Config{})
	w := h.watch(0, "", storage.Predicate{Label: web}, WatchOptions{})
	node := h.watch(0, "", storage.Predicate{Field: fields.OneTermEqualSelector("spec.nodeName", "n1")}, WatchOptions{})
	other := h.watch(0, "ns2/", storage.Predicate{}, WatchOptions{})

	steps := []struct {
		name string
		do   func() int64
		want string // what the app=web watcher sees; "" nothing
	}{
		{"created outside", func() int64 { return h.src.put(pod("ns1", "x", "", "app=db")) }, ""},
		{"enters", func() int64 { return h.src.put(pod("ns1", "x", "", "app=web")) }, "ADDED"},
		{"stays", func() int64 { return h.src.put(pod("ns1", "x", "n1", "app=web")) }, "MODIFIED"},
		{"leaves", func() int64 { return h.src.put(pod("ns1", "x", "n1", "app=db")) }, "DELETED"},
		{"deleted outside", func() int64 { return h.src.del("ns1", "x") }, ""},
		{"created inside", func() int64 { return h.src.put(pod("ns1", "y", "", "app=web")) }, "ADDED"},
		{"deleted inside", func() int64 { return h.src.del("ns1", "y") }, "DELETED"},
	}
	var want []brief
	for _, s := range steps {
		rev := s.do()
		if s.want != "" {
			key := "ns1/x"
			if s.name == "created inside" || s.name == "deleted inside" {
				key = "ns1/y"
			}
			want = append(want, brief{s.want, key, rev})
		}
	}
	// A sentinel change every watcher sees ends each one's stream.
	end := h.src.put(pod("ns2", "end", "n1", "app=web"))
	want = append(want, brief{"ADDED", "ns2/end", end})
	var got []brief
	var leftObj storage.Object
	for {
		ev := next(t, w)
		got = append(got, describe(ev))
		if ev.Type == watch.Deleted && leftObj == nil {
			leftObj = ev.Object
		}
		if ev.ResourceVersion == end {
			break
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("app=web watcher saw %v, want %v", got, want)
	}
	// Leaving the selection sends the previous state at the event's revision.
	if leftObj.GetLabels()["app"] != "web" || leftObj.GetResourceVersion() != "4" {
		t.Errorf("DELETED on leaving carries labels %v at %s, want app=web at 4", leftObj.GetLabels(), leftObj.GetResourceVersion())
	}
	// spec.nodeName=n1: x gets n1 at 3 (ADDED), stays at 4, is deleted at 5.
	wantNode := []brief{{"ADDED", "ns1/x", 3}, {"MODIFIED", "ns1/x", 4}, {"DELETED", "ns1/x", 5}, {"ADDED", "ns2/end", end}}
	if got := take(t, node, 4); !slices.Equal(got, wantNode) {
		t.Errorf("nodeName watcher saw %v, want %v", got, wantNode)
	}
	if got := describe(next(t, other)); got != (brief{"ADDED", "ns2/end", end}) {
		t.Errorf("ns2/ watcher saw %v first, want only the sentinel", got)
	}
}

func TestSendInitialEvents(t *testing.T) {
	yes, no := true, false
	h := start(t, Config{}, "a", "b") // listed at 2

	w := h.watch(0, "", storage.Predicate{}, WatchOptions{AllowBookmarks: true, SendInitialEvents: &yes})
	want := []brief{{"ADDED", "ns1/a", 1}, {"ADDED", "ns1/b", 2}, {"BOOKMARK", "", 2}}
	got := []brief{describe(next(t, w)), describe(next(t, w))}
	end := next(t, w)
	got = append(got, describe(end))
	if !slices.Equal(got, want) || !end.InitialEventsEnd {
		t.Errorf("watch-list events %v (end marked %v), want %v and the end marked", got, end.InitialEventsEnd, want)
	}

	none := h.watch(0, "", storage.Predicate{}, WatchOptions{SendInitialEvents: &no})
	rev := h.src.put(pod("ns1", "c", ""))
	if got := describe(next(t, none)); got != (brief{"ADDED", "ns1/c", rev}) {
		t.Errorf("sendInitialEvents=false first event %v, want c at %d", got, rev)
	}

	// Not older than a revision the cache has yet to reach: waits for it.
	ahead := h.src.revision() + 1
	done := make(chan *Watcher, 1)
	go func() {
		w, err := h.cache.Watch(context.Background(), ahead, "", storage.Predicate{}, WatchOptions{AllowBookmarks: true, SendInitialEvents: &yes})
		if err != nil {
			t.Errorf("Watch: %v", err)
		}
		done <- w
	}()
	h.clock.WaitFor(t, clocktest.Exactly(DefaultWaitTimeout))
	h.src.put(pod("ns1", "d", ""))
	w2 := <-done
	if w2 == nil {
		return
	}
	defer w2.Stop()
	got = take(t, w2, 5)
	if got[4] != (brief{"BOOKMARK", "", ahead}) || got[3].Key != "ns1/d" {
		t.Errorf("events %v, want a..d then the bookmark at %d", got, ahead)
	}
}

func TestWatchEndsWithStopAndContext(t *testing.T) {
	h := start(t, Config{}, "a")
	w := h.watch(0, "", storage.Predicate{}, WatchOptions{})
	w.Stop()
	if err := closed(t, w); err != nil {
		t.Errorf("Err after Stop = %v, want nil", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	w2, err := h.cache.Watch(ctx, 0, "", storage.Predicate{}, WatchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := closed(t, w2); err != nil {
		t.Errorf("Err after cancel = %v, want nil", err)
	}
	if n := len(h.cache.loadWatchers()); n != 0 {
		t.Errorf("%d watchers registered, want 0", n)
	}
}

func TestWatchRejectsANegativeRevision(t *testing.T) {
	h := start(t, Config{})
	if _, err := h.cache.Watch(context.Background(), -1, "", storage.Predicate{}, WatchOptions{}); err == nil {
		t.Error("Watch from -1 succeeded")
	}
}

func TestWatchersAreClosedWhenRunEnds(t *testing.T) {
	h := start(t, Config{}, "a")
	w := h.watch(0, "", storage.Predicate{}, WatchOptions{})
	h.stop()
	if err := closed(t, w); !errors.Is(err, ErrStopped) {
		t.Errorf("Err = %v, want ErrStopped", err)
	}
	if _, err := h.cache.Watch(context.Background(), 0, "", storage.Predicate{}, WatchOptions{}); !errors.Is(err, ErrNotReady) {
		t.Errorf("Watch after Run = %v, want ErrNotReady", err)
	}
}

func TestMoreInitialEventsThanTheBufferHolds(t *testing.T) {
	h := start(t, Config{WatchBuffer: 2}, "a", "b", "c", "d", "e")
	w := h.watch(0, "", storage.Predicate{}, WatchOptions{})
	if w.result == w.out {
		t.Fatal("five initial events went into a buffer of two")
	}
	f := h.src.put(pod("ns1", "f", ""))
	got := take(t, w, 6)
	want := []brief{{"ADDED", "ns1/a", 1}, {"ADDED", "ns1/b", 2}, {"ADDED", "ns1/c", 3}, {"ADDED", "ns1/d", 4}, {"ADDED", "ns1/e", 5}, {"ADDED", "ns1/f", f}}
	if !slices.Equal(got, want) {
		t.Errorf("events %v, want %v", got, want)
	}

	// Stopped halfway through its initial events.
	w2 := h.watch(0, "", storage.Predicate{}, WatchOptions{})
	next(t, w2)
	w2.Stop()
	if err := closed(t, w2); err != nil {
		t.Errorf("Err = %v, want nil", err)
	}
	// Closed by the cache: what it holds is still delivered.
	w3 := h.watch(0, "", storage.Predicate{}, WatchOptions{})
	probe := h.watch(f, "", storage.Predicate{}, WatchOptions{}) // offered each change after w3
	g := h.src.put(pod("ns1", "g", ""))
	next(t, probe)
	h.stop()
	got = take(t, w3, 7)
	if got[0].Key != "ns1/a" || got[6] != (brief{"ADDED", "ns1/g", g}) {
		t.Errorf("events %v, want a..f then g at %d before the end", got, g)
	}
	if err := closed(t, w3); !errors.Is(err, ErrStopped) {
		t.Errorf("Err = %v, want ErrStopped", err)
	}
}
