package workqueue

import (
	"sync"
	"time"
)

// unfinishedWorkUpdatePeriod is how often a queue with metrics refreshes
// workqueue_unfinished_work_seconds and
// workqueue_longest_running_processor_seconds, as upstream does.
const unfinishedWorkUpdatePeriod = 500 * time.Millisecond

// Queue is a FIFO work queue of distinct items.
//
//   - An item added again while it waits is queued once.
//   - An item is handed to one worker at a time: added while a worker
//     processes it, it is marked dirty and queued again when the worker
//     calls Done.
//   - After ShutDown, Add is ignored, and Get hands out what is left, then
//     reports shutdown.
//
// All methods are safe for concurrent use.
type Queue[T comparable] struct {
	mu           sync.Mutex
	cond         sync.Cond // on mu: items arrived, shutdown, or processing emptied
	items        fifo[T]   // waiting items, each also in dirty, none in processing
	dirty        map[T]struct{}
	processing   map[T]struct{}
	shuttingDown bool
	drain        bool // a ShutDownWithDrain is waiting for processing to empty

	clock    Clock
	metrics  *queueMetrics[T] // nil when the queue has no metrics
	stop     chan struct{}    // closed at shutdown; ends the queue's goroutines
	stopOnce sync.Once
}

// New returns a queue. With WithName and WithRegisterer it keeps the
// workqueue_* metrics, and then runs a goroutine until ShutDown.
func New[T comparable](opts ...Option) *Queue[T] {
	return newQueue[T](buildOptions(opts))
}

func newQueue[T comparable](o options) *Queue[T] {
	q := &Queue[T]{
		dirty:      make(map[T]struct{}),
		processing: make(map[T]struct{}),
		clock:      o.clock,
		metrics:    newQueueMetrics[T](o),
		stop:       make(chan struct{}),
	}
	q.cond.L = &q.mu
	if q.metrics != nil {
		go q.updateUnfinishedWorkLoop(q.clock.Now())
	}
	return q
}

// Add queues item unless it is already waiting. An item being processed is
// queued again when it is Done. Add does nothing after ShutDown.
func (q *Queue[T]) Add(item T) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.shuttingDown {
		return
	}
	if _, ok := q.dirty[item]; ok {
		return
	}
	q.metrics.add(item)
	q.dirty[item] = struct{}{}
	if _, ok := q.processing[item]; ok {
		return
	}
	q.items.push(item)
	q.cond.Signal()
}

// Len returns the number of items waiting to be handed out.
func (q *Queue[T]) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.items.len()
}

// Get blocks until an item is waiting and hands out the oldest one; the
// caller must call Done with it when finished. Once the queue is shut down
// and empty, Get returns shutdown true and the zero item.
func (q *Queue[T]) Get() (item T, shutdown bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for q.items.len() == 0 && !q.shuttingDown {
		q.cond.Wait()
	}
	if q.items.len() == 0 {
		return item, true
	}
	item = q.items.pop()
	q.metrics.get(item)
	q.processing[item] = struct{}{}
	delete(q.dirty, item)
	return item, false
}

// Done marks item as processed. If it was added again meanwhile, it is
// queued again. Done on an item not handed out by Get does nothing.
func (q *Queue[T]) Done(item T) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if _, ok := q.processing[item]; !ok {
		return
	}
	q.metrics.done(item)
	delete(q.processing, item)
	if _, ok := q.dirty[item]; ok {
		q.items.push(item)
		q.cond.Signal()
		return
	}
	if len(q.processing) == 0 && q.drain {
		q.cond.Broadcast()
	}
}

// ShutDown makes the queue ignore new items and tells workers to stop once
// the waiting items are handed out. It does not wait for anything, and it
// releases a ShutDownWithDrain that is waiting.
func (q *Queue[T]) ShutDown() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.drain = false
	q.shutDownLocked()
}

// ShutDownWithDrain shuts the queue down like ShutDown, then waits until
// no item handed out by Get is still being processed. It does not wait for
// items still queued; workers get those as usual. Workers must keep calling
// Done for it to return. A concurrent ShutDown ends the wait.
func (q *Queue[T]) ShutDownWithDrain() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.drain = true
	q.shutDownLocked()
	for len(q.processing) > 0 && q.drain {
		q.cond.Wait()
	}
}

func (q *Queue[T]) shutDownLocked() {
	q.shuttingDown = true
	q.stopOnce.Do(func() { close(q.stop) })
	q.cond.Broadcast()
}

// ShuttingDown reports whether ShutDown or ShutDownWithDrain was called.
func (q *Queue[T]) ShuttingDown() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.shuttingDown
}

// updateUnfinishedWorkLoop refreshes the in-progress gauges every
// unfinishedWorkUpdatePeriod until shutdown.
func (q *Queue[T]) updateUnfinishedWorkLoop(start time.Time) {
	next := start.Add(unfinishedWorkUpdatePeriod)
	for {
		timer := q.clock.TimerAt(next)
		select {
		case <-q.stop:
			timer.Stop()
			return
		case now := <-timer.C():
			q.mu.Lock()
			if !q.shuttingDown {
				q.metrics.updateUnfinishedWork()
			}
			q.mu.Unlock()
			next = now.Add(unfinishedWorkUpdatePeriod)
		}
	}
}
