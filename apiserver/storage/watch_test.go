package storage

import (
	"context"
	"errors"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/watch"
)

// next returns the next event, failing the test after 10s.
func next(t *testing.T, ch <-chan Event) Event {
	t.Helper()
	select {
	case e, ok := <-ch:
		if !ok {
			t.Fatal("watch closed")
		}
		return e
	case <-time.After(10 * time.Second):
		t.Fatal("no watch event in 10s")
	}
	return Event{}
}

// nextChange skips bookmarks.
func nextChange(t *testing.T, ch <-chan Event) Event {
	t.Helper()
	for {
		if e := next(t, ch); e.Type != watch.Bookmark {
			return e
		}
	}
}

func TestWatchFromRevision(t *testing.T) {
	e := newTestEnv(t)
	ctx := testContext(t)
	created := e.mustCreate(t, ctx, "ns", "a", map[string]string{"v": "1"})
	key := e.cms.Key("ns", "a")
	updated, err := e.cms.GuaranteedUpdate(ctx, key, false, setData("v", "2"))
	if err != nil {
		t.Fatal(err)
	}
	deleted, err := e.cms.Delete(ctx, key, nil)
	if err != nil {
		t.Fatal(err)
	}
	other := e.mustCreate(t, ctx, "other", "b", nil)

	ch, err := e.cms.Watch(ctx, e.cms.Prefix(""), mustAtoi(t, rv(created)))
	if err != nil {
		t.Fatal(err)
	}
	mod := nextChange(t, ch)
	if mod.Type != watch.Modified || rv(mod.Object) != rv(updated) || mod.ResourceVersion != mustAtoi(t, rv(updated)) {
		t.Errorf("first event %s at %d (object %s), want MODIFIED at %s", mod.Type, mod.ResourceVersion, rv(mod.Object), rv(updated))
	}
	if mod.Object.(*corev1.ConfigMap).Data["v"] != "2" {
		t.Errorf("MODIFIED's object %v, want the updated state", mod.Object)
	}
	del := nextChange(t, ch)
	if del.Type != watch.Deleted || rv(del.Object) != rv(deleted) || del.Object.(*corev1.ConfigMap).Data["v"] != "2" {
		t.Errorf("second event %s, object %v at %s; want DELETED with the last state at %s", del.Type, del.Object, rv(del.Object), rv(deleted))
	}
	add := nextChange(t, ch)
	if add.Type != watch.Added || add.Object.GetName() != "b" || rv(add.Object) != rv(other) {
		t.Errorf("third event %s %v, want ADDED b", add.Type, add.Object)
	}
}

func TestWatchFromNowAndPrefix(t *testing.T) {
	e := newTestEnv(t)
	ctx := testContext(t)
	e.mustCreate(t, ctx, "ns", "before", nil)
	ch, err := e.cms.Watch(ctx, e.cms.Prefix("ns"), 0)
	if err != nil {
		t.Fatal(err)
	}
	e.mustCreate(t, ctx, "ns2", "elsewhere", nil)
	if _, err := e.pods.Create(ctx, e.pods.Key("ns", "pod"), podObj("ns", "pod"), 0); err != nil {
		t.Fatal(err)
	}
	e.mustCreate(t, ctx, "ns", "after", nil)
	if ev := nextChange(t, ch); ev.Type != watch.Added || ev.Object.GetName() != "after" {
		t.Errorf("event %s %s/%s, want ADDED ns/after only", ev.Type, ev.Object.GetNamespace(), ev.Object.GetName())
	}
}

func TestWatchCompacted(t *testing.T) {
	e := newTestEnv(t)
	ctx := testContext(t)
	old := e.mustCreate(t, ctx, "ns", "a", nil)
	e.mustCreate(t, ctx, "ns", "b", nil)
	e.mustCreate(t, ctx, "ns", "c", nil)
	e.compact(t, ctx)
	ch, err := e.cms.Watch(ctx, e.cms.Prefix(""), mustAtoi(t, rv(old)))
	if err != nil {
		t.Fatal(err)
	}
	ev := next(t, ch)
	if ev.Type != watch.Error || !errors.Is(ev.Err, ErrExpired) {
		t.Fatalf("event %s (%v), want an ErrExpired error", ev.Type, ev.Err)
	}
	select {
	case extra, ok := <-ch:
		if ok {
			t.Fatalf("event %v after the error", extra)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("watch not closed after its error")
	}
}

func TestWatchClosesWhenContextEnds(t *testing.T) {
	e := newTestEnv(t)
	ctx, cancel := context.WithCancel(testContext(t))
	ch, err := e.cms.Watch(ctx, e.cms.Prefix(""), 0)
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	for {
		select {
		case ev, ok := <-ch:
			if !ok {
				return
			}
			if ev.Type == watch.Error {
				t.Fatalf("error event %v on cancel", ev.Err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("watch open 10s after its context ended")
		}
	}
}

func TestWatchSkipsUndecodableValues(t *testing.T) {
	e := newTestEnv(t)
	ctx := testContext(t)
	ch, err := e.cms.Watch(ctx, e.cms.Prefix(""), 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.Put(ctx, e.cms.Key("ns", "garbage"), "not an object"); err != nil {
		t.Fatal(err)
	}
	e.mustCreate(t, ctx, "ns", "good", nil)
	if ev := nextChange(t, ch); ev.Type != watch.Added || ev.Object.GetName() != "good" {
		t.Errorf("event %s %v, want the garbage skipped and ADDED good", ev.Type, ev.Object)
	}
}

func TestWatchBookmarkOnProgress(t *testing.T) {
	e := newTestEnv(t)
	ctx := testContext(t)
	ch, err := e.cms.Watch(ctx, e.cms.Prefix(""), 0)
	if err != nil {
		t.Fatal(err)
	}
	created := e.mustCreate(t, ctx, "ns", "a", nil)
	if ev := nextChange(t, ch); ev.Type != watch.Added {
		t.Fatalf("event %s, want ADDED", ev.Type)
	}
	// A write elsewhere moves the revision on without an event here.
	if _, err := e.pods.Create(ctx, e.pods.Key("ns", "p"), podObj("ns", "p"), 0); err != nil {
		t.Fatal(err)
	}
	latest := e.revision(t, ctx)
	// The watch is synced (its event arrived): etcd answers a progress
	// request on its stream.
	if err := e.client.RequestProgress(clientv3.WithRequireLeader(context.Background())); err != nil {
		t.Fatal(err)
	}
	ev := next(t, ch)
	if ev.Type != watch.Bookmark || ev.Object != nil || ev.ResourceVersion < latest || ev.ResourceVersion <= mustAtoi(t, rv(created)) {
		t.Errorf("event %s at %d (object %v), want a bookmark at %d", ev.Type, ev.ResourceVersion, ev.Object, latest)
	}
}

func TestTTLObjectsDisappear(t *testing.T) {
	e := newTestEnv(t)
	ctx := testContext(t)
	ch, err := e.cms.Watch(ctx, e.cms.Prefix(""), 0)
	if err != nil {
		t.Fatal(err)
	}
	key := e.cms.Key("ns", "short")
	if _, err := e.cms.Create(ctx, key, configMap("ns", "short", nil), 1); err != nil {
		t.Fatal(err)
	}
	if ev := nextChange(t, ch); ev.Type != watch.Added {
		t.Fatalf("event %s, want ADDED", ev.Type)
	}
	if ev := nextChange(t, ch); ev.Type != watch.Deleted || ev.Object.GetName() != "short" {
		t.Fatalf("event %s %v, want the TTL's DELETED", ev.Type, ev.Object)
	}
	if _, err := e.cms.Get(ctx, key); !errors.Is(err, ErrNotFound) {
		t.Errorf("get after the TTL: %v, want ErrNotFound", err)
	}
}

func TestWatchRejectsForeignPrefix(t *testing.T) {
	e := newTestEnv(t)
	if _, err := e.cms.Watch(testContext(t), "/registry/secrets/", 0); err == nil {
		t.Error("watch of another resource's prefix succeeded")
	}
	if _, err := e.cms.Watch(testContext(t), e.cms.Prefix(""), -1); err == nil {
		t.Error("watch from a negative revision succeeded")
	}
}
