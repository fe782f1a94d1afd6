package informer

import (
	"testing"
	"time"

	"github.com/skiff-dev/skiff/internal/clocktest"
)

func TestBackoff(t *testing.T) {
	clk := clocktest.NewFake()
	b := NewBackoff(clk)
	steps := []struct {
		after       time.Duration // clock advance before the failure
		rand        float64
		want        time.Duration
		wantCeiling time.Duration
	}{
		{rand: 0, want: 400 * time.Millisecond, wantCeiling: 800 * time.Millisecond},
		{after: time.Second, rand: 0.5, want: 1200 * time.Millisecond, wantCeiling: 1600 * time.Millisecond},
		{rand: 0, want: 1600 * time.Millisecond, wantCeiling: 3200 * time.Millisecond},
		{rand: 0, wantCeiling: 6400 * time.Millisecond, want: 3200 * time.Millisecond},
		{rand: 0, wantCeiling: 12800 * time.Millisecond, want: 6400 * time.Millisecond},
		{rand: 0, wantCeiling: 25600 * time.Millisecond, want: 12800 * time.Millisecond},
		{rand: 0, wantCeiling: 30 * time.Second, want: 15 * time.Second},
		{after: 90 * time.Second, rand: 0.999, wantCeiling: 30 * time.Second, want: 29985 * time.Millisecond},
		// Two quiet minutes: back to the start.
		{after: 2*time.Minute + time.Second, rand: 0, wantCeiling: 800 * time.Millisecond, want: 400 * time.Millisecond},
	}
	for i, s := range steps {
		clk.Advance(s.after)
		b.rand = func() float64 { return s.rand }
		got := b.Next()
		if got != s.want || b.ceiling != s.wantCeiling {
			t.Errorf("step %d: wait %v (ceiling %v), want %v (ceiling %v)", i, got, b.ceiling, s.want, s.wantCeiling)
		}
	}
}
