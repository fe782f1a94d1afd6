package informer

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/watch"

	"github.com/skiff-dev/skiff/internal/clocktest"
)

// runInformer runs inf until the test ends.
func runInformer(t *testing.T, inf *Informer) context.Context {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- inf.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := recv(t, done, "the informer to stop"); err != nil {
			t.Errorf("Run = %v", err)
		}
	})
	return ctx
}

func waitSynced(t *testing.T, fns ...func() bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	if !WaitForCacheSync(ctx, fns...) {
		t.Fatal("caches did not sync")
	}
}

func newTestInformer(t *testing.T, s *fakeSource, clk *clocktest.Fake, resync time.Duration) *Informer {
	return New(zaptest.NewLogger(t), s, &corev1.ConfigMap{}, resync, nil, WithClock(clk))
}

func TestInformerDeliversEveryChangeOnceInOrderAcrossWatchDrops(t *testing.T) {
	s := newFakeSource()
	for i := range 5 {
		s.set(fmt.Sprintf("obj-%d", i))
	}
	s.dropEvery = 3
	inf := newTestInformer(t, s, clocktest.NewFake(), 0)
	fast, slow := newRecorder(), newRecorder()
	slow.yield = true
	regFast, _ := inf.AddEventHandler(fast)
	regSlow, _ := inf.AddEventHandler(slow)
	runInformer(t, inf)
	waitSynced(t, regFast.HasSynced, regSlow.HasSynced)

	listRV := s.revision()
	initial := s.state()
	rng := rand.New(rand.NewPCG(1, 2))
	present := map[string]bool{}
	for name := range initial {
		present[name[len("ns/"):]] = true
	}
	for range 500 {
		name := fmt.Sprintf("obj-%d", rng.IntN(20))
		if present[name] && rng.IntN(8) == 0 {
			s.remove(name)
			delete(present, name)
			continue
		}
		s.set(name)
		present[name] = true
	}
	final := s.set("sentinel")

	// What every handler must have seen, per key: the initial list, then
	// each change in the source's history, once, in order.
	want := map[string][]string{}
	for key, rv := range initial {
		want[key] = []string{"ADDED@" + rv}
	}
	for _, ev := range s.events(listRV) {
		obj := ev.Object.(Object)
		want[keyOf(obj)] = append(want[keyOf(obj)], string(ev.Type)+"@"+obj.GetResourceVersion())
	}
	for name, rec := range map[string]*recorder{"fast": fast, "slow": slow} {
		rec.waitFor(t, "add ns/sentinel@"+final.ResourceVersion)
		got := map[string][]string{}
		for _, n := range rec.all() {
			kind := map[string]watch.EventType{"add": watch.Added, "update": watch.Modified, "delete": watch.Deleted}[n.kind]
			if kind == "" {
				t.Fatalf("%s handler: unexpected %v", name, n)
			}
			if n.kind == "add" && n.initial != (n.key != "ns/sentinel" && initial[n.key] == n.rv) {
				t.Errorf("%s handler: %v has the wrong isInInitialList", name, n)
			}
			if seq := got[n.key]; n.kind == "update" && (len(seq) == 0 || seq[len(seq)-1] != "ADDED@"+n.oldRV && seq[len(seq)-1] != "MODIFIED@"+n.oldRV) {
				t.Errorf("%s handler: %v does not follow %v", name, n, seq)
			}
			got[n.key] = append(got[n.key], string(kind)+"@"+n.rv)
		}
		for key, w := range want {
			if !slices.Equal(got[key], w) {
				t.Errorf("%s handler saw %s as\n%v\nwant\n%v", name, key, got[key], w)
			}
		}
		if len(got) != len(want) {
			t.Errorf("%s handler saw %d keys, want %d", name, len(got), len(want))
		}
	}
	if got, want := contents(inf.GetStore()), s.state(); !mapsEqual(got, want) {
		t.Errorf("store = %v\nwant %v", got, want)
	}
	if n := len(s.lists()); n != 1 {
		t.Errorf("%d lists, want 1", n)
	}
	s.mu.Lock()
	watches := len(s.watchCalls)
	s.mu.Unlock()
	if watches < 500/3 {
		t.Errorf("only %d watches: the source did not drop them", watches)
	}
	if got := inf.LastSyncResourceVersion(); got != final.ResourceVersion {
		t.Errorf("LastSyncResourceVersion = %q, want %q", got, final.ResourceVersion)
	}
}

func TestInformerRelistDeliversTombstonesAndUpdates(t *testing.T) {
	tests := []struct {
		name       string
		disconnect func(t *testing.T, s *fakeSource, clk *clocktest.Fake) (reconnect func())
	}{{
		name: "410 as an ERROR event",
		disconnect: func(t *testing.T, s *fakeSource, clk *clocktest.Fake) func() {
			s.setPaused(true)
			return func() {
				s.expireWatches()
				s.setPaused(false)
			}
		},
	}, {
		name: "410 when the watch starts",
		disconnect: func(t *testing.T, s *fakeSource, clk *clocktest.Fake) func() {
			release := s.holdWatches()
			clk.Advance(time.Minute) // the dropped watch was a long one
			s.dropWatches()
			recv(t, s.watched, "the held watch")
			return release
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newFakeSource()
			a, b, c, d := s.set("a"), s.set("b"), s.set("c"), s.set("d")
			clk := clocktest.NewFake()
			inf := newTestInformer(t, s, clk, 0)
			rec := newRecorder()
			reg, _ := inf.AddEventHandler(rec)
			runInformer(t, inf)
			waitSynced(t, reg.HasSynced)
			recv(t, s.listed, "the first list")
			recv(t, s.watched, "the first watch")

			reconnect := tt.disconnect(t, s, clk)
			b2 := s.set("b")
			s.set("a") // never seen: the tombstone carries a's first state
			s.remove("a")
			s.remove("c")
			e := s.set("e")
			s.compact()
			reconnect()
			recv(t, s.listed, "the relist") // z comes after it
			z := s.set("z")

			before := rec.waitFor(t, "add ns/z@"+z.ResourceVersion)
			got := before[4:] // after the four initial adds
			slices.Sort(got)
			want := []string{
				"add ns/e@" + e.ResourceVersion,
				"tombstone ns/a@" + a.ResourceVersion,
				"tombstone ns/c@" + c.ResourceVersion,
				"update ns/b@" + b.ResourceVersion + "->" + b2.ResourceVersion,
			}
			if !slices.Equal(got, want) {
				t.Errorf("after the relist the handler saw\n%v\nwant\n%v", got, want)
			}
			_ = d // unchanged: no notification
			if n := len(s.lists()); n != 2 {
				t.Errorf("%d lists, want 2", n)
			}
			if got, want := contents(inf.GetStore()), s.state(); !mapsEqual(got, want) {
				t.Errorf("store = %v\nwant %v", got, want)
			}
		})
	}
}

func TestInformerResyncsEachHandlerOnItsPeriod(t *testing.T) {
	s := newFakeSource()
	s.set("a")
	s.set("b")
	clk := clocktest.NewFake()
	inf := newTestInformer(t, s, clk, time.Minute)
	every1m, every2m, never := newRecorder(), newRecorder(), newRecorder()
	inf.AddEventHandler(every1m)
	inf.AddEventHandlerWithResync(every2m, 2*time.Minute)
	inf.AddEventHandlerWithResync(never, 0)
	runInformer(t, inf)
	for _, r := range []*recorder{every1m, every2m, never} {
		r.waitFor(t, "add ns/b@2 initial")
	}

	resyncs := func(r *recorder, sentinel string) []string {
		t.Helper()
		got := r.waitFor(t, sentinel)
		slices.Sort(got)
		return got
	}
	ab := []string{"update ns/a@1->1", "update ns/b@2->2"}
	abc := []string{"update ns/a@1->1", "update ns/b@2->2", "update ns/c@3->3"}
	steps := []struct {
		sentinel       string
		want1m, want2m []string
	}{
		{sentinel: "c", want1m: ab},
		{sentinel: "d", want1m: abc, want2m: abc},
	}
	if d := clk.WaitForWaiter(t); d != time.Minute {
		t.Fatalf("resync waits %v, want 1m", d)
	}
	for i, step := range steps {
		clk.Advance(time.Minute)
		// The next wait begins once this resync has been queued.
		if d := clk.WaitForWaiter(t); d != time.Minute {
			t.Fatalf("step %d: next resync waits %v, want 1m", i, d)
		}
		obj := s.set(step.sentinel)
		sentinel := "add ns/" + step.sentinel + "@" + obj.ResourceVersion
		if got := resyncs(every1m, sentinel); !slices.Equal(got, step.want1m) {
			t.Errorf("step %d: 1m handler got %v, want %v", i, got, step.want1m)
		}
		if got := resyncs(every2m, sentinel); !slices.Equal(got, step.want2m) {
			t.Errorf("step %d: 2m handler got %v, want %v", i, got, step.want2m)
		}
		if got := resyncs(never, sentinel); len(got) != 0 {
			t.Errorf("step %d: handler without resync got %v", i, got)
		}
	}
	for _, n := range every1m.all() {
		if n.kind == "update" && !n.sameObjs {
			t.Errorf("resync %v: old and new are different objects", n)
		}
	}
}

func TestInformerSlowHandlerDoesNotDelayOthers(t *testing.T) {
	s := newFakeSource()
	s.set("a")
	inf := newTestInformer(t, s, clocktest.NewFake(), 0)
	slow, fast := newRecorder(), newRecorder()
	slow.gate = make(chan struct{})
	regSlow, _ := inf.AddEventHandler(slow)
	regFast, _ := inf.AddEventHandler(fast)
	runInformer(t, inf)
	recv(t, slow.entered, "the slow handler's first call")

	for range 50 {
		s.set("a")
	}
	last := s.set("last")
	fastSaw := fast.waitFor(t, "add ns/last@"+last.ResourceVersion)
	if !regFast.HasSynced() {
		t.Error("fast handler not synced")
	}
	if regSlow.HasSynced() {
		t.Error("slow handler synced while its first add is still running")
	}
	if n := len(slow.all()); n != 0 {
		t.Fatalf("slow handler finished %d calls while blocked", n)
	}

	close(slow.gate)
	slowSaw := slow.waitFor(t, "add ns/last@"+last.ResourceVersion)
	if !slices.Equal(slowSaw, fastSaw) {
		t.Errorf("slow handler saw\n%v\nfast saw\n%v", slowSaw, fastSaw)
	}
	if len(fastSaw) != 51 {
		t.Errorf("fast handler saw %d notifications before the last, want 51", len(fastSaw))
	}
	waitSynced(t, regSlow.HasSynced)
}

func TestInformerHandlerAddedAfterSync(t *testing.T) {
	s := newFakeSource()
	s.set("a")
	s.set("b")
	s.set("c")
	inf := newTestInformer(t, s, clocktest.NewFake(), 0)
	runInformer(t, inf)
	waitSynced(t, inf.HasSynced)

	late := newRecorder()
	late.gate = make(chan struct{})
	reg, err := inf.AddEventHandler(late)
	if err != nil {
		t.Fatal(err)
	}
	recv(t, late.entered, "the first synthetic add")
	if reg.HasSynced() {
		t.Error("registration synced before its handler got the current contents")
	}
	close(late.gate)
	waitSynced(t, reg.HasSynced)
	d := s.set("d")
	got := late.waitFor(t, "add ns/d@"+d.ResourceVersion)
	slices.Sort(got)
	if want := []string{"add ns/a@1 initial", "add ns/b@2 initial", "add ns/c@3 initial"}; !slices.Equal(got, want) {
		t.Errorf("late handler got %v, want %v", got, want)
	}
}

func TestInformerRemovedHandlerGetsNothingMore(t *testing.T) {
	s := newFakeSource()
	s.set("a")
	inf := newTestInformer(t, s, clocktest.NewFake(), 0)
	kept, removed := newRecorder(), newRecorder()
	inf.AddEventHandler(kept)
	reg, _ := inf.AddEventHandler(removed)
	runInformer(t, inf)
	removed.waitFor(t, "add ns/a@1 initial")
	reg.Remove()
	reg.Remove()
	b := s.set("b")
	kept.waitFor(t, "add ns/b@"+b.ResourceVersion)
	if n := len(removed.all()); n != 1 {
		t.Errorf("removed handler got %d notifications, want 1", n)
	}
}

func TestInformerLifecycle(t *testing.T) {
	s := newFakeSource()
	inf := newTestInformer(t, s, clocktest.NewFake(), 0)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- inf.Run(ctx) }()
	waitSynced(t, inf.HasSynced)
	if err := inf.Run(ctx); err == nil {
		t.Error("second Run succeeded")
	}
	cancel()
	if err := recv(t, done, "Run to return"); err != nil {
		t.Errorf("Run = %v", err)
	}
	if _, err := inf.AddEventHandler(newRecorder()); err == nil {
		t.Error("AddEventHandler on a stopped informer succeeded")
	}
	if got := inf.LastSyncResourceVersion(); got != "0" {
		t.Errorf("LastSyncResourceVersion = %q, want 0", got)
	}
}

func TestInformerIgnoresReplayedEvents(t *testing.T) {
	s := newFakeSource()
	inf := newTestInformer(t, s, clocktest.NewFake(), 0)
	rec := newRecorder()
	inf.AddEventHandler(rec)
	runInformer(t, inf)
	waitSynced(t, inf.HasSynced)

	in := sink{inf}
	for _, step := range []func() error{
		func() error { return in.Add(configMap("x", "7", nil)) },
		func() error { return in.Add(configMap("x", "7", nil)) },    // replayed
		func() error { return in.Update(configMap("x", "7", nil)) }, // replayed
		func() error { return in.Update(configMap("x", "8", nil)) },
	} {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	if before := rec.waitFor(t, "update ns/x@7->8"); !slices.Equal(before, []string{"add ns/x@7"}) {
		t.Errorf("before the update the handler saw %v, want one add", before)
	}
}
