package watchcache

import (
	"context"
	"errors"
	"maps"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/skiff-dev/skiff/apiserver/storage"
	"github.com/skiff-dev/skiff/internal/clocktest"
)

func keys(objs []storage.Object) []string {
	out := make([]string, len(objs))
	for i, o := range objs {
		out[i] = NamespaceKey(o)
	}
	return out
}

func TestRunListsThenWatchesFromTheListRevision(t *testing.T) {
	h := newHarness(t, Config{})
	h.src.put(pod("ns1", "a", ""))
	listRV := h.src.put(pod("ns1", "b", ""))
	h.run()
	h.waitRev(listRV)
	rev := h.src.put(pod("ns1", "c", ""))
	h.waitRev(rev)

	lists, froms := h.src.counts()
	if lists != 1 || !slices.Equal(froms, []int64{listRV}) {
		t.Errorf("lists %d, watches from %v; want 1 list and a watch from %d", lists, froms, listRV)
	}
	objs, got, err := h.cache.List(context.Background(), 0, "", storage.Predicate{})
	if err != nil || got != rev || !slices.Equal(keys(objs), []string{"ns1/a", "ns1/b", "ns1/c"}) {
		t.Errorf("List = %v at %d, %v; want a, b, c at %d", keys(objs), got, err, rev)
	}
	if n := testutil.ToFloat64(h.cache.metrics.initializations); n != 1 {
		t.Errorf("initializations = %v, want 1", n)
	}
	if n := testutil.ToFloat64(h.cache.metrics.received); n != 1 {
		t.Errorf("events received = %v, want 1", n)
	}
	if v := testutil.ToFloat64(h.cache.metrics.resourceVersion); v != float64(rev) {
		t.Errorf("resource_version = %v, want %d", v, rev)
	}
}

func TestListSelects(t *testing.T) {
	h := newHarness(t, Config{})
	h.src.put(pod("ns2", "z", "n1", "app=web"))
	h.src.put(pod("ns1", "b", "n2", "app=db"))
	h.src.put(pod("ns1", "a", "n1", "app=web"))
	h.src.put(pod("ns10", "c", "n1", "app=web"))
	rev := h.src.put(pod("ns", "d", "n1"))
	h.run()
	h.waitRev(rev)

	web, _ := labels.Parse("app=web")
	n1 := fields.OneTermEqualSelector("spec.nodeName", "n1")
	tests := []struct {
		name   string
		prefix string
		pred   storage.Predicate
		want   []string
	}{
		{"everything sorted by key", "", storage.Predicate{}, []string{"ns/d", "ns1/a", "ns1/b", "ns10/c", "ns2/z"}},
		{"one namespace", "ns1/", storage.Predicate{}, []string{"ns1/a", "ns1/b"}},
		{"empty namespace", "nsx/", storage.Predicate{}, []string{}},
		{"label selector", "", storage.Predicate{Label: web}, []string{"ns1/a", "ns10/c", "ns2/z"}},
		{"field selector", "", storage.Predicate{Field: n1}, []string{"ns/d", "ns1/a", "ns10/c", "ns2/z"}},
		{"both in a namespace", "ns1/", storage.Predicate{Label: web, Field: n1}, []string{"ns1/a"}},
		{"empty selectors", "", storage.Predicate{Label: labels.Everything(), Field: fields.Everything()}, []string{"ns/d", "ns1/a", "ns1/b", "ns10/c", "ns2/z"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			objs, got, err := h.cache.List(context.Background(), 0, tt.prefix, tt.pred)
			if err != nil || got != rev || !slices.Equal(keys(objs), tt.want) {
				t.Errorf("List = %v at %d, %v; want %v at %d", keys(objs), got, err, tt.want, rev)
			}
		})
	}
}

func TestEventsAreAppliedInOrder(t *testing.T) {
	h := start(t, Config{}, "a")
	h.src.put(pod("ns1", "b", "", "v=1"))
	h.src.put(pod("ns1", "b", "", "v=2"))
	h.src.del("ns1", "a")
	h.src.put(pod("ns1", "a", "", "v=3"))
	rev := h.src.del("ns1", "b")
	h.waitRev(rev)
	objs, _, err := h.cache.List(context.Background(), 0, "", storage.Predicate{})
	if err != nil || len(objs) != 1 || objs[0].GetName() != "a" || objs[0].GetLabels()["v"] != "3" {
		t.Fatalf("List = %v, %v; want only a with v=3", keys(objs), err)
	}
	if n := testutil.ToFloat64(h.cache.metrics.received); n != 5 {
		t.Errorf("events received = %v, want 5", n)
	}
}

func TestListWaitsForAFutureRevision(t *testing.T) {
	h := start(t, Config{}, "a")
	want := h.src.revision() + 1
	type result struct {
		objs []storage.Object
		rev  int64
		err  error
	}
	done := make(chan result, 1)
	go func() {
		objs, rev, err := h.cache.List(context.Background(), want, "", storage.Predicate{})
		done <- result{objs, rev, err}
	}()
	h.clock.WaitFor(t, clocktest.Exactly(DefaultWaitTimeout)) // List is waiting
	h.src.put(pod("ns1", "b", ""))
	r := <-done
	if r.err != nil || r.rev < want || len(r.objs) != 2 {
		t.Fatalf("List = %v at %d, %v; want a and b at %d", keys(r.objs), r.rev, r.err, want)
	}
}

func TestListTimesOutOnATooLargeRevision(t *testing.T) {
	h := start(t, Config{}, "a")
	cur := h.src.revision()
	done := make(chan error, 1)
	go func() {
		_, _, err := h.cache.List(context.Background(), cur+5, "", storage.Predicate{})
		done <- err
	}()
	h.clock.WaitFor(t, clocktest.Exactly(DefaultWaitTimeout))
	h.clock.Advance(DefaultWaitTimeout)
	err := <-done
	var tooLarge *TooLargeResourceVersionError
	if !errors.As(err, &tooLarge) || !errors.Is(err, storage.ErrTooLargeResourceVersion) {
		t.Fatalf("List = %v, want a TooLargeResourceVersionError", err)
	}
	if tooLarge.Requested != cur+5 || tooLarge.Current != cur {
		t.Errorf("error = %+v, want requested %d current %d", tooLarge, cur+5, cur)
	}
	if want := "Too large resource version: 6, current: 1"; tooLarge.Error() != want {
		t.Errorf("message %q, want %q", tooLarge.Error(), want)
	}
}

func TestListEndsWithItsContext(t *testing.T) {
	h := start(t, Config{}, "a")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, _, err := h.cache.List(ctx, h.src.revision()+1, "", storage.Predicate{})
		done <- err
	}()
	h.clock.WaitFor(t, clocktest.Exactly(DefaultWaitTimeout))
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("List = %v, want context.Canceled", err)
	}
}

func TestNothingIsServedBeforeTheFirstList(t *testing.T) {
	h := newHarness(t, Config{})
	h.src.put(pod("ns1", "a", ""))
	h.src.listErr = errors.New("etcd down")
	if h.cache.Ready() {
		t.Fatal("ready before Run")
	}
	if _, _, err := h.cache.List(context.Background(), 0, "", storage.Predicate{}); !errors.Is(err, ErrNotReady) {
		t.Errorf("List = %v, want ErrNotReady", err)
	}
	if _, err := h.cache.Watch(context.Background(), 0, "", storage.Predicate{}, WatchOptions{}); !errors.Is(err, ErrNotReady) {
		t.Errorf("Watch = %v, want ErrNotReady", err)
	}

	h.run()
	// The list fails; Run backs off (800ms ceiling at first) and retries.
	h.clock.WaitFor(t, func(d time.Duration) bool { return d >= 400*time.Millisecond && d <= 800*time.Millisecond })
	h.src.mu.Lock()
	h.src.listErr = nil
	h.src.mu.Unlock()
	if h.cache.Ready() {
		t.Fatal("ready after a failed list")
	}
	h.clock.Advance(800 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	if err := h.cache.WaitReady(ctx); err != nil {
		t.Fatalf("WaitReady: %v", err)
	}
	if lists, _ := h.src.counts(); lists != 2 {
		t.Errorf("lists = %d, want 2", lists)
	}
}

// TestFieldsAreComputedOnlyForFieldSelectors: the cache calls GetAttrs
// for an object only when a field selector first looks at it, once, and
// an object whose fields fail is still selected by its labels.
func TestFieldsAreComputedOnlyForFieldSelectors(t *testing.T) {
	h := newHarness(t, Config{})
	var mu sync.Mutex
	calls := map[string]int{}
	h.cache.cfg.GetAttrs = func(obj storage.Object) (labels.Set, fields.Set, error) {
		mu.Lock()
		calls[obj.GetName()]++
		mu.Unlock()
		if obj.GetName() == "broken" {
			return nil, nil, errors.New("no fields")
		}
		return podAttrs(obj)
	}
	h.src.put(pod("ns1", "a", "n1", "app=web"))
	rev := h.src.put(pod("ns1", "broken", "n1", "app=web"))
	h.run()
	h.waitRev(rev)

	web, _ := labels.Parse("app=web")
	n1 := fields.OneTermEqualSelector("spec.nodeName", "n1")
	list := func(pred storage.Predicate) []string {
		t.Helper()
		objs, _, err := h.cache.List(context.Background(), 0, "", pred)
		if err != nil {
			t.Fatal(err)
		}
		return keys(objs)
	}
	if got := list(storage.Predicate{Label: web}); !slices.Equal(got, []string{"ns1/a", "ns1/broken"}) {
		t.Errorf("label selector: %v", got)
	}
	if len(calls) != 0 {
		t.Errorf("GetAttrs called without a field selector: %v", calls)
	}
	for range 3 {
		if got := list(storage.Predicate{Label: web, Field: n1}); !slices.Equal(got, []string{"ns1/a"}) {
			t.Errorf("field selector: %v, want the object whose fields fail left out", got)
		}
	}
	if want := map[string]int{"a": 1, "broken": 1}; !maps.Equal(calls, want) {
		t.Errorf("GetAttrs calls %v, want %v", calls, want)
	}
}
