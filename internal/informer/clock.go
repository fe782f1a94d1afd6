package informer

import "time"

// Clock is the time the reflector and the informer read and wait on; tests
// pass a fake one to make backoff and resync deterministic.
type Clock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

type realClock struct{}

func (realClock) Now() time.Time                         { return time.Now() }
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }
