package watchcache

import (
	"testing"
	"time"

	"github.com/skiff-dev/skiff/internal/clocktest"
)

func TestBudget(t *testing.T) {
	clock := clocktest.NewFake()
	b := newBudget(clock)
	if got := b.take(); got != budgetMax {
		t.Fatalf("first take %v, want %v", got, budgetMax)
	}
	if got := b.take(); got != 0 {
		t.Fatalf("take right after %v, want 0", got)
	}
	clock.Advance(time.Second)
	if got := b.take(); got != budgetRefillPerSecond {
		t.Fatalf("take a second later %v, want %v", got, budgetRefillPerSecond)
	}
	b.giveBack(30 * time.Millisecond)
	clock.Advance(time.Second)
	if got := b.take(); got != 80*time.Millisecond {
		t.Fatalf("take after giving back 30ms and a second %v, want 80ms", got)
	}
	clock.Advance(time.Hour)
	if got := b.take(); got != budgetMax {
		t.Fatalf("take after an hour %v, want the cap %v", got, budgetMax)
	}
}
