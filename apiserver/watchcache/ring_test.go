package watchcache

import (
	"slices"
	"testing"
	"time"
)

func TestRing(t *testing.T) {
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	const fresh = time.Minute
	tests := []struct {
		name       string
		min, max   int
		gap        time.Duration // between consecutive events
		adds       int
		wantCap    int
		wantRevs   []int64 // held, listed at 100, events at 101, 102, …
		wantEvicte int64
	}{
		{"fills up", 4, 4, time.Second, 3, 4, []int64{101, 102, 103}, 100},
		{"fixed size drops the oldest", 4, 4, time.Second, 6, 4, []int64{103, 104, 105, 106}, 102},
		{"grows while events are fresh", 2, 8, time.Second, 7, 8, []int64{101, 102, 103, 104, 105, 106, 107}, 100},
		{"stops at max", 2, 4, time.Second, 6, 4, []int64{103, 104, 105, 106}, 102},
		{"does not grow for stale events", 2, 8, 2 * fresh, 5, 2, []int64{104, 105}, 103},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRing(tt.min, tt.max, fresh)
			r.reset(100)
			for i := range tt.adds {
				r.add(&event{rev: int64(101 + i), at: t0.Add(time.Duration(i) * tt.gap)})
			}
			var revs []int64
			for i := r.start; i < r.end; i++ {
				revs = append(revs, r.at(i).rev)
			}
			if r.capacity() != tt.wantCap || !slices.Equal(revs, tt.wantRevs) || r.evictedRV != tt.wantEvicte {
				t.Errorf("capacity %d, revisions %v, evicted to %d; want %d, %v, %d",
					r.capacity(), revs, r.evictedRV, tt.wantCap, tt.wantRevs, tt.wantEvicte)
			}
		})
	}
}

func TestRingShrinksWhenItsNewestQuarterIsStale(t *testing.T) {
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	r := newRing(2, 16, time.Minute)
	r.reset(0)
	for i := range 8 { // a burst grows it to 8
		r.add(&event{rev: int64(i + 1), at: t0})
	}
	if r.capacity() != 8 {
		t.Fatalf("capacity %d after a burst, want 8", r.capacity())
	}
	before, after := r.add(&event{rev: 9, at: t0.Add(time.Hour)})
	if before != 8 || after != 4 {
		t.Errorf("resized %d → %d, want 8 → 4", before, after)
	}
	if evs, ok := r.since(5); !ok || len(evs) != 4 || evs[0].rev != 6 {
		t.Errorf("since(5) = %d events, %v; want 6..9", len(evs), ok)
	}
	if _, ok := r.since(4); ok {
		t.Error("since(4) served after 5 was dropped")
	}
}

func TestRingSince(t *testing.T) {
	r := newRing(8, 8, time.Minute)
	r.reset(10)
	for _, rev := range []int64{12, 15, 20} {
		r.add(&event{rev: rev})
	}
	tests := []struct {
		from int64
		want []int64
		ok   bool
	}{
		{9, nil, false},
		{10, []int64{12, 15, 20}, true},
		{11, []int64{12, 15, 20}, true},
		{12, []int64{15, 20}, true},
		{19, []int64{20}, true},
		{20, []int64{}, true},
		{99, []int64{}, true},
	}
	for _, tt := range tests {
		evs, ok := r.since(tt.from)
		var got []int64
		for _, e := range evs {
			got = append(got, e.rev)
		}
		if ok != tt.ok || !slices.Equal(got, tt.want) {
			t.Errorf("since(%d) = %v, %v; want %v, %v", tt.from, got, ok, tt.want, tt.ok)
		}
	}
}
