package informer

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/internal/client"
	"github.com/skiff-dev/skiff/internal/fakeapi"
	"go.uber.org/zap/zaptest"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

// These tests run an informer over the real client against fakeapi, which
// speaks the list/watch protocol over HTTP.

func configMapInformer(t *testing.T, srv *fakeapi.Server) (*Informer, *client.Resource[corev1.ConfigMap, *corev1.ConfigMap]) {
	t.Helper()
	c, err := client.New(&client.Config{Host: srv.URL(), QPS: -1, Insecure: true})
	if err != nil {
		t.Fatal(err)
	}
	cms := client.For[corev1.ConfigMap](c, client.ConfigMaps).Namespace("default")
	return New(zaptest.NewLogger(t), ListWatch(cms, nil), &corev1.ConfigMap{}, 0, nil), cms
}

// seenLog records, per key, the resourceVersion of every add and update a
// handler is given, and tells a channel about each.
type seenLog struct {
	mu     sync.Mutex
	rvs    map[string][]string
	tombs  map[string]DeletedFinalStateUnknown
	events chan struct{}
}

func newSeenLog() *seenLog {
	return &seenLog{rvs: map[string][]string{}, tombs: map[string]DeletedFinalStateUnknown{}, events: make(chan struct{}, 1)}
}

func (s *seenLog) note(obj Object) {
	key, _ := MetaNamespaceKeyFunc(obj)
	s.mu.Lock()
	s.rvs[key] = append(s.rvs[key], obj.GetResourceVersion())
	s.mu.Unlock()
	s.poke()
}

func (s *seenLog) poke() {
	select {
	case s.events <- struct{}{}:
	default:
	}
}

func (s *seenLog) handler() Handler {
	return HandlerFuncs{
		AddFunc:    func(obj Object, _ bool) { s.note(obj) },
		UpdateFunc: func(_, obj Object) { s.note(obj) },
		DeleteFunc: func(obj any) {
			if d, ok := obj.(DeletedFinalStateUnknown); ok {
				s.mu.Lock()
				s.tombs[d.Key] = d
				s.mu.Unlock()
			}
			s.poke()
		},
	}
}

// waitFor blocks until cond holds, re-checking after every handler event.
func (s *seenLog) waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		s.mu.Lock()
		ok := cond()
		s.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-s.events:
		case <-deadline:
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

func TestInformerLosesAndDuplicatesNothingWhenWatchesDrop(t *testing.T) {
	srv := fakeapi.New(t)
	inf, cms := configMapInformer(t, srv)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	const objects, updates = 20, 500
	want := map[string][]string{} // every resourceVersion each key went through
	for i := 0; i < objects; i++ {
		cm, err := cms.Create(ctx, &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("cm-%02d", i)}}, metav1.CreateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		want["default/"+cm.Name] = []string{cm.ResourceVersion}
	}

	seen := newSeenLog()
	if _, err := inf.AddEventHandler(seen.handler()); err != nil {
		t.Fatal(err)
	}
	srv.DropWatchesAfter(3)
	done := make(chan error, 1)
	go func() { done <- inf.Run(ctx) }()
	if !WaitForCacheSync(ctx, inf.HasSynced) {
		t.Fatal("cache never synced")
	}

	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < updates; i++ {
		name := fmt.Sprintf("cm-%02d", rng.IntN(objects))
		patch := fmt.Sprintf(`{"data":{"n":"%d"}}`, i)
		cm, err := cms.Patch(ctx, name, types.MergePatchType, []byte(patch), metav1.PatchOptions{})
		if err != nil {
			t.Fatal(err)
		}
		want["default/"+name] = append(want["default/"+name], cm.ResourceVersion)
	}

	seen.waitFor(t, "every update to reach the handler", func() bool {
		for key, rvs := range want {
			got := seen.rvs[key]
			if len(got) == 0 || got[len(got)-1] != rvs[len(rvs)-1] {
				return false
			}
		}
		return true
	})
	seen.mu.Lock()
	for key, rvs := range want {
		if got := seen.rvs[key]; strings.Join(got, ",") != strings.Join(rvs, ",") {
			t.Errorf("%s: handler saw resourceVersions\n %v\nwant\n %v", key, got, rvs)
		}
	}
	seen.mu.Unlock()

	var lists, watches int
	for _, r := range srv.Requests() {
		switch {
		case strings.Contains(r.RawQuery, "watch=true"):
			watches++
		case r.Method == "GET":
			lists++
		}
	}
	if lists != 1 {
		t.Errorf("%d lists: a dropped watch must resume, not relist", lists)
	}
	if watches < updates/3 {
		t.Errorf("only %d watches: the server was to drop each after 3 events", watches)
	}
	for _, obj := range inf.GetIndexer().List() {
		key, _ := MetaNamespaceKeyFunc(obj)
		if rvs := want[key]; obj.GetResourceVersion() != rvs[len(rvs)-1] {
			t.Errorf("store holds %s at %s, want %s", key, obj.GetResourceVersion(), rvs[len(rvs)-1])
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run: %v", err)
	}
}

func TestInformerDeliversMissedDeletesAsTombstones(t *testing.T) {
	srv := fakeapi.New(t)
	inf, cms := configMapInformer(t, srv)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for _, name := range []string{"keep", "gone"} {
		if _, err := cms.Create(ctx, &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: name}, Data: map[string]string{"v": name}}, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	seen := newSeenLog()
	if _, err := inf.AddEventHandler(seen.handler()); err != nil {
		t.Fatal(err)
	}
	go func() { _ = inf.Run(ctx) }()
	if !WaitForCacheSync(ctx, inf.HasSynced) {
		t.Fatal("cache never synced")
	}

	// Cut the informer off: every request fails until the test allows it.
	srv.FailNext(1<<30, 503, 0)
	srv.CloseClientConnections()
	if !srv.Delete(fakeapi.ConfigMaps, "default", "gone") {
		t.Fatal("seeded object missing")
	}
	srv.Compact() // the informer's resourceVersion is gone: it must list again
	srv.FailNext(0, 0, 0)

	seen.waitFor(t, "the tombstone", func() bool { _, ok := seen.tombs["default/gone"]; return ok })
	seen.mu.Lock()
	tomb := seen.tombs["default/gone"]
	seen.mu.Unlock()
	cm, ok := tomb.Obj.(*corev1.ConfigMap)
	if !ok || cm.Data["v"] != "gone" {
		t.Errorf("tombstone carries %#v, want the last known state", tomb.Obj)
	}
	if _, exists := inf.GetIndexer().GetByKey("default/keep"); !exists {
		t.Error("the surviving object left the store")
	}
}
