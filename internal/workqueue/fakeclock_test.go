package workqueue

import (
	"context"
	"errors"
	"testing"
	"time"
)

func fired(t Timer) (time.Time, bool) {
	select {
	case v := <-t.C():
		return v, true
	default:
		return time.Time{}, false
	}
}

func TestFakeClockTimers(t *testing.T) {
	clock := NewFakeClock(t0)
	past := clock.TimerAt(t0)
	early := clock.TimerAt(t0.Add(time.Second))
	late := clock.TimerAt(t0.Add(3 * time.Second))
	stopped := clock.TimerAt(t0.Add(time.Second))

	if v, ok := fired(past); !ok || !v.Equal(t0) {
		t.Fatalf("timer at now: fired %v %v, want at once with %v", v, ok, t0)
	}
	if !stopped.Stop() {
		t.Fatal("Stop() of a pending timer = false")
	}
	if stopped.Stop() {
		t.Fatal("second Stop() = true")
	}
	clock.Step(500 * time.Millisecond)
	if _, ok := fired(early); ok {
		t.Fatal("timer fired before its deadline")
	}
	clock.Step(2 * time.Second)
	want := t0.Add(2500 * time.Millisecond)
	if v, ok := fired(early); !ok || !v.Equal(want) {
		t.Fatalf("timer: fired %v %v, want %v", v, ok, want)
	}
	if _, ok := fired(late); ok {
		t.Fatal("later timer fired early")
	}
	if _, ok := fired(stopped); ok {
		t.Fatal("stopped timer fired")
	}
	if early.Stop() {
		t.Fatal("Stop() of a fired timer = true")
	}
	clock.SetTime(t0.Add(3 * time.Second))
	if _, ok := fired(late); !ok {
		t.Fatal("timer did not fire at SetTime to its deadline")
	}
	if got := clock.Now(); !got.Equal(t0.Add(3 * time.Second)) {
		t.Fatalf("Now() = %v", got)
	}
}

func TestFakeClockWaitFor(t *testing.T) {
	clock := NewFakeClock(t0)
	deadline := t0.Add(time.Minute)
	armed := make(chan error, 1)
	go func() { armed <- clock.WaitForTimer(testContext(t), deadline) }()
	timer := clock.TimerAt(deadline)
	if err := receive(t, armed, "WaitForTimer"); err != nil {
		t.Fatal(err)
	}
	if err := clock.WaitForTimers(testContext(t), 1); err != nil {
		t.Fatal(err)
	}
	timer.Stop()

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := clock.WaitForTimer(ctx, deadline); !errors.Is(err, context.Canceled) {
		t.Fatalf("WaitForTimer on a stopped timer = %v, want context.Canceled", err)
	}
}
