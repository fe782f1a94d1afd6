package livelookup

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

func TestCache(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1000, 0)}
	c := New[int](2, clock.now)
	c.Add("a", 1, time.Second)
	c.Add("b", 2, 0)
	if v, ok := c.Get("a"); !ok || v != 1 {
		t.Fatalf("Get(a) = %v, %v", v, ok)
	}
	// a was used last: adding c evicts b.
	c.Add("c", 3, 0)
	if _, ok := c.Get("b"); ok {
		t.Fatal("b should have been evicted")
	}
	clock.t = clock.t.Add(time.Second)
	if _, ok := c.Get("a"); ok {
		t.Fatal("a should have expired")
	}
	if v, ok := c.Get("c"); !ok || v != 3 {
		t.Fatalf("Get(c) = %v, %v", v, ok)
	}
	c.Add("c", 4, 0)
	if v, _ := c.Get("c"); v != 4 {
		t.Fatalf("Get(c) after overwrite = %v", v)
	}
	c.Remove("c")
	if _, ok := c.Get("c"); ok || c.Len() != 0 {
		t.Fatalf("after Remove: ok=%v len=%d", ok, c.Len())
	}
}

func TestLister(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1000, 0)}
	var mu sync.Mutex
	liveCalls := 0
	cachedItems := map[string][]string{"full": {"x"}}
	cached := func(_ context.Context, ns string) ([]string, error) {
		if ns == "broken" {
			return nil, errors.New("boom")
		}
		return cachedItems[ns], nil
	}
	live := func(_ context.Context, ns string) ([]string, error) {
		mu.Lock()
		defer mu.Unlock()
		liveCalls++
		if ns == "empty" {
			return nil, nil
		}
		return []string{"live-" + ns}, nil
	}
	l := NewLister[string](cached, live, 30*time.Second, 10, clock.now)
	ctx := context.Background()

	tests := []struct {
		ns        string
		want      []string
		wantErr   bool
		wantCalls int
	}{
		{ns: "full", want: []string{"x"}, wantCalls: 0},
		{ns: "broken", wantErr: true, wantCalls: 0},
		{ns: "late", want: []string{"live-late"}, wantCalls: 1},
		{ns: "late", want: []string{"live-late"}, wantCalls: 1}, // remembered
		{ns: "empty", want: nil, wantCalls: 2},
		{ns: "empty", want: nil, wantCalls: 2}, // an empty answer is remembered too
	}
	for i, tt := range tests {
		got, err := l.List(ctx, tt.ns)
		if (err != nil) != tt.wantErr {
			t.Fatalf("%d: List(%s) err = %v", i, tt.ns, err)
		}
		if len(got) != len(tt.want) || (len(got) > 0 && got[0] != tt.want[0]) {
			t.Fatalf("%d: List(%s) = %v, want %v", i, tt.ns, got, tt.want)
		}
		if liveCalls != tt.wantCalls {
			t.Fatalf("%d: live calls = %d, want %d", i, liveCalls, tt.wantCalls)
		}
	}
	clock.t = clock.t.Add(31 * time.Second)
	if _, err := l.List(ctx, "late"); err != nil || liveCalls != 3 {
		t.Fatalf("after expiry: err=%v live calls=%d, want 3", err, liveCalls)
	}
}
