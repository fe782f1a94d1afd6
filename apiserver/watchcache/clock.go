package watchcache

import "time"

// Clock is the time the cache reads and waits on; tests pass a fake one to
// make timeouts, bookmarks and backoff deterministic.
type Clock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

type realClock struct{}

func (realClock) Now() time.Time                         { return time.Now() }
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }
