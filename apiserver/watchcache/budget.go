package watchcache

import "time"

// Upstream's dispatch budget: the dispatcher may block on watchers whose
// buffers are full for at most the budget, which refills at 50ms per second
// up to 100ms. Watchers still full when it runs out are closed.
const (
	budgetRefillPerSecond = 50 * time.Millisecond
	budgetMax             = 100 * time.Millisecond
)

// budget is the time the dispatcher may spend waiting on slow watchers. It
// is used by the dispatcher goroutine only.
type budget struct {
	clock Clock
	avail time.Duration
	last  time.Time
}

func newBudget(clock Clock) budget {
	return budget{clock: clock, avail: budgetMax, last: clock.Now()}
}

// take returns all the time available now.
func (b *budget) take() time.Duration {
	now := b.clock.Now()
	refill := time.Duration(float64(now.Sub(b.last)) / float64(time.Second) * float64(budgetRefillPerSecond))
	b.last = now
	b.avail = min(b.avail+max(refill, 0), budgetMax)
	t := b.avail
	b.avail = 0
	return t
}

// giveBack returns what a take did not use.
func (b *budget) giveBack(d time.Duration) {
	b.avail = min(b.avail+max(d, 0), budgetMax)
}
