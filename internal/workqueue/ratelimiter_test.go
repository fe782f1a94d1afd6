package workqueue

import (
	"math"
	"slices"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

func TestExponentialFailureRateLimiter(t *testing.T) {
	tests := []struct {
		name      string
		base, max time.Duration
		want      []time.Duration // successive When for one item
	}{
		{"defaults", DefaultBaseDelay, DefaultMaxDelay, []time.Duration{
			5 * time.Millisecond, 10 * time.Millisecond, 20 * time.Millisecond, 40 * time.Millisecond,
		}},
		{"capped at max", time.Millisecond, time.Second, []time.Duration{
			1 * time.Millisecond, 2 * time.Millisecond, 4 * time.Millisecond, 8 * time.Millisecond,
			16 * time.Millisecond, 32 * time.Millisecond, 64 * time.Millisecond, 128 * time.Millisecond,
			256 * time.Millisecond, 512 * time.Millisecond, time.Second, time.Second,
		}},
		{"base above max", time.Minute, time.Second, []time.Duration{time.Second, time.Second}},
		{"zero base", 0, time.Second, []time.Duration{0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewExponentialFailureRateLimiter[string](tt.base, tt.max)
			for i, want := range tt.want {
				if got := r.When("a"); got != want {
					t.Fatalf("When #%d = %v, want %v", i+1, got, want)
				}
				if got := r.NumRequeues("a"); got != i+1 {
					t.Fatalf("NumRequeues after %d = %d", i+1, got)
				}
			}
			if got := r.NumRequeues("b"); got != 0 {
				t.Fatalf("NumRequeues(b) = %d, want 0: items are independent", got)
			}
			r.Forget("a")
			if got := r.NumRequeues("a"); got != 0 {
				t.Fatalf("NumRequeues after Forget = %d", got)
			}
			if got := r.When("a"); got != tt.want[0] {
				t.Fatalf("When after Forget = %v, want %v", got, tt.want[0])
			}
		})
	}
}

func TestExponentialBackoffOverflow(t *testing.T) {
	const maxDuration = time.Duration(math.MaxInt64)
	tests := []struct {
		base, max time.Duration
		n         int
		want      time.Duration
	}{
		{time.Nanosecond, maxDuration, 62, 1 << 62},
		{time.Nanosecond, maxDuration, 63, maxDuration},
		{2 * time.Nanosecond, maxDuration, 62, maxDuration},
		{DefaultBaseDelay, DefaultMaxDelay, 1000, DefaultMaxDelay},
		{DefaultBaseDelay, DefaultMaxDelay, math.MaxInt, DefaultMaxDelay},
		{DefaultBaseDelay, DefaultMaxDelay, 17, DefaultBaseDelay << 17},
		{DefaultBaseDelay, DefaultMaxDelay, 18, DefaultMaxDelay}, // 5ms<<18 ≈ 1311s
	}
	for _, tt := range tests {
		if got := exponentialBackoff(tt.base, tt.max, tt.n); got != tt.want {
			t.Errorf("exponentialBackoff(%v, %v, %d) = %v, want %v", tt.base, tt.max, tt.n, got, tt.want)
		}
	}

	// Many failures reach the cap and stay there.
	r := NewExponentialFailureRateLimiter[string](time.Nanosecond, maxDuration)
	var last time.Duration
	for range 200 {
		d := r.When("a")
		if d < last {
			t.Fatalf("backoff went down from %v to %v", last, d)
		}
		last = d
	}
	if last != maxDuration {
		t.Fatalf("after 200 failures: %v, want %v", last, maxDuration)
	}
}

func TestBucketRateLimiter(t *testing.T) {
	clock := NewFakeClock(t0)
	r := NewBucketRateLimiter[string](rate.NewLimiter(10, 100), clock)
	// The bucket starts full: 100 retries pass at once, then one per 100ms.
	for i := range 100 {
		if d := r.When("a"); d != 0 {
			t.Fatalf("When #%d = %v, want 0 within the burst", i+1, d)
		}
	}
	for i, want := range []time.Duration{100 * time.Millisecond, 200 * time.Millisecond} {
		if d := r.When("b"); d != want {
			t.Fatalf("When #%d past the burst = %v, want %v", i+1, d, want)
		}
	}
	// A second refills 10 tokens; 2 are owed.
	clock.Step(time.Second)
	for i := range 8 {
		if d := r.When("c"); d != 0 {
			t.Fatalf("When #%d after refill = %v, want 0", i+1, d)
		}
	}
	if d := r.When("c"); d != 100*time.Millisecond {
		t.Fatalf("When after the refill is spent = %v, want 100ms", d)
	}
	r.Forget("a")
	if n := r.NumRequeues("a"); n != 0 {
		t.Fatalf("NumRequeues = %d, want 0", n)
	}
}

// fakeLimiter answers with fixed values and records what it was asked.
type fakeLimiter struct {
	when      time.Duration
	requeues  int
	asked     []string
	forgotten []string
}

func (f *fakeLimiter) When(item string) time.Duration {
	f.asked = append(f.asked, item)
	return f.when
}
func (f *fakeLimiter) Forget(item string)       { f.forgotten = append(f.forgotten, item) }
func (f *fakeLimiter) NumRequeues(_ string) int { return f.requeues }

func TestMaxOfRateLimiter(t *testing.T) {
	tests := []struct {
		name         string
		limiters     []*fakeLimiter
		wantWhen     time.Duration
		wantRequeues int
	}{
		{"none", nil, 0, 0},
		{"one", []*fakeLimiter{{when: time.Second, requeues: 3}}, time.Second, 3},
		{"slowest wins", []*fakeLimiter{
			{when: time.Second, requeues: 7},
			{when: time.Minute, requeues: 1},
			{when: time.Millisecond, requeues: 2},
		}, time.Minute, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ls []RateLimiter[string]
			for _, l := range tt.limiters {
				ls = append(ls, l)
			}
			r := NewMaxOfRateLimiter(ls...)
			if got := r.When("a"); got != tt.wantWhen {
				t.Errorf("When = %v, want %v", got, tt.wantWhen)
			}
			if got := r.NumRequeues("a"); got != tt.wantRequeues {
				t.Errorf("NumRequeues = %d, want %d", got, tt.wantRequeues)
			}
			r.Forget("a")
			for i, l := range tt.limiters {
				if !slices.Equal(l.asked, []string{"a"}) || !slices.Equal(l.forgotten, []string{"a"}) {
					t.Errorf("limiter %d: asked %v, forgotten %v; want each once", i, l.asked, l.forgotten)
				}
			}
		})
	}
}

func TestDefaultControllerRateLimiter(t *testing.T) {
	r := DefaultControllerRateLimiter[string]()
	// Per-item exponential backoff, while the bucket has tokens.
	for i, want := range []time.Duration{5 * time.Millisecond, 10 * time.Millisecond, 20 * time.Millisecond} {
		if got := r.When("a"); got != want {
			t.Fatalf("When #%d = %v, want %v", i+1, got, want)
		}
	}
	if n := r.NumRequeues("a"); n != 3 {
		t.Fatalf("NumRequeues = %d, want 3", n)
	}
	r.Forget("a")
	if n := r.NumRequeues("a"); n != 0 {
		t.Fatalf("NumRequeues after Forget = %d, want 0", n)
	}
	// Capped at 1000s.
	for range 30 {
		r.When("slow")
	}
	if got := r.When("slow"); got != 1000*time.Second {
		t.Fatalf("When after 30 failures = %v, want 1000s", got)
	}
	// The overall bucket (10/s, burst 100) slows many distinct items: the
	// 200th new item waits about 100 tokens' worth, far more than 5ms.
	var d time.Duration
	for i := range 200 {
		d = r.When(string(rune('A' + i)))
	}
	if d < time.Second {
		t.Fatalf("When for the 200th distinct item = %v, want the bucket's delay (~10s)", d)
	}
}
