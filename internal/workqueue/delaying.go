package workqueue

import (
	"container/heap"
	"sync"
	"time"
)

// DelayingQueue is a Queue that can also add an item after a delay. Items
// waiting for their time sit in a heap that one goroutine releases as the
// clock reaches them; the goroutine ends at shutdown, and items still
// waiting then are dropped.
type DelayingQueue[T comparable] struct {
	*Queue[T]

	wmu     sync.Mutex
	waiting waitHeap[T]
	known   map[T]*waitEntry[T] // the heap's entries by item
	seq     uint64
	kick    chan struct{} // the earliest deadline changed
}

// NewDelaying returns a delaying queue and starts its goroutine, which runs
// until ShutDown or ShutDownWithDrain.
func NewDelaying[T comparable](opts ...Option) *DelayingQueue[T] {
	return newDelaying[T](buildOptions(opts))
}

func newDelaying[T comparable](o options) *DelayingQueue[T] {
	q := &DelayingQueue[T]{
		Queue: newQueue[T](o),
		known: make(map[T]*waitEntry[T]),
		kick:  make(chan struct{}, 1),
	}
	go q.waitingLoop()
	return q
}

// AddAfter adds item once d has passed on the queue's clock; d <= 0 adds it
// at once. If the item is already waiting, the earlier of the two times
// wins. AddAfter does nothing after shutdown. Each call counts in
// workqueue_retries_total, as upstream counts it.
func (q *DelayingQueue[T]) AddAfter(item T, d time.Duration) {
	if q.ShuttingDown() {
		return
	}
	q.metrics.retry()
	if d <= 0 {
		q.Add(item)
		return
	}
	readyAt := q.clock.Now().Add(d)

	q.wmu.Lock()
	e, ok := q.known[item]
	switch {
	case !ok:
		e = &waitEntry[T]{item: item, readyAt: readyAt, seq: q.nextSeq()}
		heap.Push(&q.waiting, e)
		q.known[item] = e
	case readyAt.Before(e.readyAt):
		e.readyAt, e.seq = readyAt, q.nextSeq()
		heap.Fix(&q.waiting, e.index)
	default:
		q.wmu.Unlock()
		return
	}
	earliest := e.index == 0
	q.wmu.Unlock()

	if earliest {
		select {
		case q.kick <- struct{}{}:
		default: // a wake-up is already pending
		}
	}
}

func (q *DelayingQueue[T]) nextSeq() uint64 {
	q.seq++
	return q.seq
}

// waitingLoop adds waiting items when their time comes. It keeps one timer,
// armed for the earliest deadline in the heap.
func (q *DelayingQueue[T]) waitingLoop() {
	var (
		timer    Timer
		deadline time.Time
	)
	stopTimer := func() {
		if timer != nil {
			timer.Stop()
			timer = nil
		}
	}
	defer stopTimer()

	for {
		ready, next, ok := q.popReady()
		for _, item := range ready {
			q.Add(item)
		}
		if !ok {
			stopTimer()
		} else if timer == nil || !next.Equal(deadline) {
			stopTimer()
			timer, deadline = q.clock.TimerAt(next), next
		}

		var fired <-chan time.Time
		if timer != nil {
			fired = timer.C()
		}
		select {
		case <-q.stop:
			return
		case <-q.kick:
		case <-fired:
			timer = nil
		}
	}
}

// popReady removes the items whose time has come, earliest first, and
// returns the next deadline if any item is still waiting.
func (q *DelayingQueue[T]) popReady() (ready []T, next time.Time, ok bool) {
	q.wmu.Lock()
	defer q.wmu.Unlock()
	now := q.clock.Now()
	for len(q.waiting) > 0 {
		e := q.waiting[0]
		if e.readyAt.After(now) {
			return ready, e.readyAt, true
		}
		heap.Pop(&q.waiting)
		delete(q.known, e.item)
		ready = append(ready, e.item)
	}
	return ready, time.Time{}, false
}
