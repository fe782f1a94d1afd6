package informer

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/skiff-dev/skiff/internal/clocktest"
)

// recordingSink is an Indexer that reports every call made on it.
type recordingSink struct {
	*Indexer
	calls chan string
}

func newRecordingSink() *recordingSink {
	return &recordingSink{Indexer: NewIndexer(nil, nil), calls: make(chan string, 10000)}
}

func (r *recordingSink) Replace(items []Object, rv string) error {
	err := r.Indexer.Replace(items, rv)
	r.calls <- fmt.Sprintf("replace %d@%s", len(items), rv)
	return err
}

func (r *recordingSink) Add(obj Object) error { return r.record("add", r.Indexer.Add, obj) }

func (r *recordingSink) Update(obj Object) error { return r.record("update", r.Indexer.Update, obj) }

func (r *recordingSink) Delete(obj Object) error { return r.record("delete", r.Indexer.Delete, obj) }

func (r *recordingSink) record(what string, fn func(Object) error, obj Object) error {
	err := fn(obj)
	key, _ := MetaNamespaceKeyFunc(obj)
	r.calls <- fmt.Sprintf("%s %s@%s", what, key, obj.GetResourceVersion())
	return err
}

// expectCalls takes the next calls from the sink and compares them.
func (r *recordingSink) expectCalls(t *testing.T, want ...string) {
	t.Helper()
	for _, w := range want {
		if got := recv(t, r.calls, w); got != w {
			t.Fatalf("sink call = %q, want %q", got, w)
		}
	}
}

// contents returns key → resourceVersion of the stored objects.
func contents(s *Indexer) map[string]string {
	out := map[string]string{}
	for _, o := range s.List() {
		key, _ := MetaNamespaceKeyFunc(o)
		out[key] = o.GetResourceVersion()
	}
	return out
}

func startReflector(t *testing.T, s *fakeSource, clk *clocktest.Fake, setup func(r *Reflector)) (*Reflector, *recordingSink) {
	t.Helper()
	sink := newRecordingSink()
	r := NewReflector(zaptest.NewLogger(t), s, &corev1.ConfigMap{}, sink, WithClock(clk))
	if setup != nil {
		setup(r)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := recv(t, done, "the reflector to stop"); err != nil {
			t.Errorf("Run = %v", err)
		}
	})
	return r, sink
}

func watchedRVs(t *testing.T, s *fakeSource, n int) []string {
	t.Helper()
	var out []string
	for range n {
		out = append(out, recv(t, s.watched, "a watch call").ResourceVersion)
	}
	return out
}

func TestReflectorListsThenWatchesFromListResourceVersion(t *testing.T) {
	s := newFakeSource()
	s.set("a")
	s.set("b")
	s.set("c")
	s.dropEvery = 1
	r, sink := startReflector(t, s, clocktest.NewFake(), nil)

	list := recv(t, s.listed, "the list")
	if list.ResourceVersion != "" || list.Limit != 500 || list.Continue != "" {
		t.Errorf("list options = %+v, want a consistent read with limit 500", list)
	}
	sink.expectCalls(t, "replace 3@3")
	w := recv(t, s.watched, "the watch")
	if w.ResourceVersion != "3" || !w.AllowWatchBookmarks {
		t.Errorf("watch options = %+v, want resourceVersion 3 with bookmarks", w)
	}
	if w.TimeoutSeconds == nil || *w.TimeoutSeconds < 300 || *w.TimeoutSeconds > 600 {
		t.Errorf("watch timeoutSeconds = %v, want 300..600", w.TimeoutSeconds)
	}
	if got := r.LastSyncResourceVersion(); got != "3" {
		t.Errorf("LastSyncResourceVersion = %q, want 3", got)
	}

	s.set("d")
	sink.expectCalls(t, "add ns/d@4")
	if got := watchedRVs(t, s, 1); got[0] != "4" {
		t.Errorf("next watch from %q, want 4", got[0])
	}
	if got := r.LastSyncResourceVersion(); got != "4" {
		t.Errorf("LastSyncResourceVersion = %q, want 4", got)
	}
	if got, want := contents(sink.Indexer), s.state(); !mapsEqual(got, want) {
		t.Errorf("store = %v, want %v", got, want)
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func TestReflectorResumesFromLastResourceVersionWithoutRelisting(t *testing.T) {
	s := newFakeSource()
	s.set("a")
	s.set("b")
	s.set("c")
	s.dropEvery = 2
	_, sink := startReflector(t, s, clocktest.NewFake(), nil)
	sink.expectCalls(t, "replace 3@3")
	watchedRVs(t, s, 1)

	s.set("a")
	s.set("d")
	s.remove("b")
	s.set("a")
	s.set("c")
	s.remove("d")
	sink.expectCalls(t, "update ns/a@4", "add ns/d@5", "delete ns/b@6", "update ns/a@7", "update ns/c@8", "delete ns/d@9")
	if got, want := watchedRVs(t, s, 3), []string{"5", "7", "9"}; !slices.Equal(got, want) {
		t.Errorf("watches resumed from %v, want %v", got, want)
	}
	if n := len(s.lists()); n != 1 {
		t.Errorf("%d lists, want 1", n)
	}
	if got, want := contents(sink.Indexer), s.state(); !mapsEqual(got, want) {
		t.Errorf("store = %v, want %v", got, want)
	}
}

func TestReflectorRelistsWhenResourceVersionIsGone(t *testing.T) {
	tests := []struct {
		name        string
		expire      func(s *fakeSource)
		wantCalls   []string
		wantWatches []string // after the first
	}{{
		name: "410 when the watch starts",
		expire: func(s *fakeSource) {
			release := s.holdWatches()
			s.set("a") // sent, then the watch drops
			if got := recv(s.t, s.watched, "the held watch"); got.ResourceVersion != "4" {
				s.t.Fatalf("held watch from %q, want 4", got.ResourceVersion)
			}
			s.set("b")
			s.remove("c")
			s.compact()
			release()
		},
		wantCalls:   []string{"update ns/a@4", "replace 2@6"},
		wantWatches: []string{"6"},
	}, {
		name: "410 as an ERROR event",
		expire: func(s *fakeSource) {
			s.setPaused(true)
			s.set("a")
			s.set("b")
			s.remove("c")
			s.compact()
			s.expireWatches()
		},
		wantCalls:   []string{"replace 2@6"},
		wantWatches: []string{"6"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newFakeSource()
			s.t = t
			s.set("a")
			s.set("b")
			s.set("c")
			s.dropEvery = 1
			_, sink := startReflector(t, s, clocktest.NewFake(), nil)
			sink.expectCalls(t, "replace 3@3")
			watchedRVs(t, s, 1)

			tt.expire(s)
			sink.expectCalls(t, tt.wantCalls...)
			if got := watchedRVs(t, s, len(tt.wantWatches)); !slices.Equal(got, tt.wantWatches) {
				t.Errorf("watches after the relist from %v, want %v", got, tt.wantWatches)
			}
			if n := len(s.lists()); n != 2 {
				t.Errorf("%d lists, want 2", n)
			}
			if got, want := contents(sink.Indexer), s.state(); !mapsEqual(got, want) {
				t.Errorf("store = %v, want %v", got, want)
			}
		})
	}
}

func TestReflectorBookmarkAdvancesResourceVersion(t *testing.T) {
	s := newFakeSource()
	s.set("a")
	s.dropEvery = 1
	r, sink := startReflector(t, s, clocktest.NewFake(), nil)
	sink.expectCalls(t, "replace 1@1")
	watchedRVs(t, s, 1)

	s.bump(10)
	s.bookmark()
	if got := watchedRVs(t, s, 1); got[0] != "11" {
		t.Errorf("watch after the bookmark from %q, want 11", got[0])
	}
	if got := r.LastSyncResourceVersion(); got != "11" {
		t.Errorf("LastSyncResourceVersion = %q, want 11", got)
	}
	if n := len(sink.calls); n != 0 {
		t.Errorf("a bookmark reached the store (%d calls)", n)
	}
}

func TestReflectorPaginates(t *testing.T) {
	tests := []struct {
		name      string
		afterList func(s *fakeSource, call int)
		wantLists []metav1.ListOptions
		wantCall  string
	}{{
		name: "pages of 500",
		wantLists: []metav1.ListOptions{
			{Limit: 500}, {Limit: 500, Continue: "token-1"}, {Limit: 500, Continue: "token-2"},
		},
		wantCall: "replace 1201@1201",
	}, {
		name: "expired continue token falls back to a full list",
		afterList: func(s *fakeSource, call int) {
			if call == 1 {
				s.bump(1)
				s.compact()
			}
		},
		wantLists: []metav1.ListOptions{
			{Limit: 500}, {Limit: 500, Continue: "token-1"}, {},
		},
		wantCall: "replace 1201@1202",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newFakeSource()
			for i := range 1201 {
				s.set(fmt.Sprintf("cm-%04d", i))
			}
			if tt.afterList != nil {
				s.afterList = func(call int) { tt.afterList(s, call) }
			}
			_, sink := startReflector(t, s, clocktest.NewFake(), nil)
			sink.expectCalls(t, tt.wantCall)
			if got := s.lists(); !slices.EqualFunc(got, tt.wantLists, func(a, b metav1.ListOptions) bool {
				return a.Limit == b.Limit && a.Continue == b.Continue && a.ResourceVersion == b.ResourceVersion
			}) {
				t.Errorf("lists = %+v, want %+v", got, tt.wantLists)
			}
			if sink.Len() != 1201 {
				t.Errorf("store holds %d objects, want 1201", sink.Len())
			}
		})
	}
}

func TestReflectorBacksOffOnFailures(t *testing.T) {
	connRefused := errors.New("dial tcp 127.0.0.1:6443: connect: connection refused")
	tests := []struct {
		name      string
		prepare   func(s *fakeSource)
		calls     func(s *fakeSource) int
		wantWaits []time.Duration
		// Calls in all, the failed ones included.
		wantLists, wantWatches int
	}{{
		name: "list fails",
		prepare: func(s *fakeSource) {
			s.listErrs = []error{connRefused, connRefused, apierrors.NewInternalError(errors.New("etcd"))}
		},
		calls:     func(s *fakeSource) int { return len(s.lists()) },
		wantWaits: []time.Duration{800 * time.Millisecond, 1600 * time.Millisecond, 3200 * time.Millisecond},
		wantLists: 4, wantWatches: 1,
	}, {
		name: "watch fails to start",
		prepare: func(s *fakeSource) {
			s.watchErrs = []error{apierrors.NewTooManyRequests("slow down", 1), apierrors.NewInternalError(errors.New("etcd")), connRefused}
		},
		calls:     func(s *fakeSource) int { s.mu.Lock(); defer s.mu.Unlock(); return len(s.watchCalls) },
		wantWaits: []time.Duration{800 * time.Millisecond, 1600 * time.Millisecond, 3200 * time.Millisecond},
		wantLists: 1, wantWatches: 4,
	}, {
		name:      "watch closes at once without events",
		prepare:   func(s *fakeSource) { s.closeNext = 2 },
		calls:     func(s *fakeSource) int { s.mu.Lock(); defer s.mu.Unlock(); return len(s.watchCalls) },
		wantWaits: []time.Duration{800 * time.Millisecond, 1600 * time.Millisecond},
		wantLists: 1, wantWatches: 3,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newFakeSource()
			s.set("a")
			tt.prepare(s)
			clk := clocktest.NewFake()
			_, sink := startReflector(t, s, clk, func(r *Reflector) {
				r.backoff.rand = func() float64 { return 1 } // the ceiling
			})
			for i, want := range tt.wantWaits {
				got := clk.WaitForWaiter(t)
				if got != want {
					t.Errorf("wait %d = %v, want %v", i, got, want)
				}
				// While it waits, the reflector makes no other call.
				if n := tt.calls(s); n != i+1 {
					t.Fatalf("%d calls before wait %d ended, want %d", n, i, i+1)
				}
				clk.Advance(got)
			}
			sink.expectCalls(t, "replace 1@1")
			// Every watch starts from the listed resourceVersion: no relist.
			for i := range tt.wantWatches {
				if got := recv(t, s.watched, "a watch call"); got.ResourceVersion != "1" {
					t.Errorf("watch %d from %q, want 1", i, got.ResourceVersion)
				}
			}
			if n := len(s.lists()); n != tt.wantLists {
				t.Errorf("%d lists, want %d", n, tt.wantLists)
			}
		})
	}
}
