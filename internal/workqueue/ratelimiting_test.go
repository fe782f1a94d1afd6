package workqueue

import (
	"testing"
	"time"
)

func TestRateLimitingQueue(t *testing.T) {
	clock := NewFakeClock(t0)
	q := NewRateLimiting(NewExponentialFailureRateLimiter[string](time.Second, time.Minute), WithClock(clock))
	t.Cleanup(q.ShutDown)

	q.AddRateLimited("a") // waits 1s
	if n := q.NumRequeues("a"); n != 1 {
		t.Fatalf("NumRequeues = %d, want 1", n)
	}
	if n := q.Len(); n != 0 {
		t.Fatalf("Len() = %d right after AddRateLimited, want 0", n)
	}
	clock.Step(time.Second)
	if got := mustGet(t, q.Queue); got != "a" {
		t.Fatalf("Get() = %q, want a", got)
	}
	q.AddRateLimited("a") // failed again: waits 2s
	q.Done("a")
	clock.Step(time.Second)
	q.AddAfter("b", 0)
	if got := mustGet(t, q.Queue); got != "b" {
		t.Fatalf("Get() = %q, want b (a must still wait)", got)
	}
	q.Done("b")
	clock.Step(time.Second)
	if got := mustGet(t, q.Queue); got != "a" {
		t.Fatalf("Get() = %q, want a", got)
	}
	if n := q.NumRequeues("a"); n != 2 {
		t.Fatalf("NumRequeues = %d, want 2", n)
	}
	q.Forget("a")
	q.Done("a")
	if n := q.NumRequeues("a"); n != 0 {
		t.Fatalf("NumRequeues after Forget = %d, want 0", n)
	}
}

func TestRateLimitingQueueDefaultLimiter(t *testing.T) {
	q := NewRateLimiting[string](nil)
	t.Cleanup(q.ShutDown)
	q.AddRateLimited("a")
	if n := q.NumRequeues("a"); n != 1 {
		t.Fatalf("NumRequeues = %d, want 1", n)
	}
	q.Forget("a")
	if n := q.NumRequeues("a"); n != 0 {
		t.Fatalf("NumRequeues after Forget = %d, want 0", n)
	}
}
