package workqueue

import "time"

// Clock is the queue's source of time: it reads the time and wakes the
// queue at a deadline. The delaying queue, the metrics loop and the bucket
// rate limiter read time only through it, so tests drive them with a
// FakeClock and never sleep.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// TimerAt returns a timer that fires once the clock reads deadline or
	// later. A deadline already reached fires at once. Taking an absolute
	// deadline (not a duration) means no time can slip by between reading
	// the clock and arming the timer.
	TimerAt(deadline time.Time) Timer
}

// Timer is a one-shot timer made by a Clock.
type Timer interface {
	// C delivers the clock's time once, when the timer fires.
	C() <-chan time.Time
	// Stop prevents the timer from firing. It reports whether the timer
	// was still pending.
	Stop() bool
}

// RealClock is the wall clock. Its zero value is ready to use.
type RealClock struct{}

var _ Clock = RealClock{}

// Now returns time.Now().
func (RealClock) Now() time.Time { return time.Now() }

// TimerAt returns a time.Timer set to fire at deadline.
func (RealClock) TimerAt(deadline time.Time) Timer {
	return realTimer{t: time.NewTimer(time.Until(deadline))}
}

type realTimer struct{ t *time.Timer }

func (r realTimer) C() <-chan time.Time { return r.t.C }
func (r realTimer) Stop() bool          { return r.t.Stop() }
