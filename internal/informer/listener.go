package informer

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

type notificationKind int

const (
	notifyAdd notificationKind = iota
	notifyUpdate
	notifyDelete
)

// notification is one call to make on a Handler.
type notification struct {
	kind     notificationKind
	old, obj Object
	deleted  any // Object or DeletedFinalStateUnknown
	initial  bool
}

// listener feeds one Handler from an unbounded FIFO, on its own goroutine,
// so that pushing never blocks the informer.
type listener struct {
	handler Handler
	resync  time.Duration
	// nextResync is guarded by the informer's mutex.
	nextResync time.Time
	// pendingInitial counts initial-list adds pushed but not yet handled.
	pendingInitial atomic.Int64

	mu    sync.Mutex
	queue []notification
	wake  chan struct{}
	stop  chan struct{}
	once  sync.Once
}

func newListener(h Handler, resync time.Duration) *listener {
	return &listener{handler: h, resync: resync, wake: make(chan struct{}, 1), stop: make(chan struct{})}
}

// push appends n to the queue; it never blocks for long.
func (l *listener) push(n notification) {
	if n.initial {
		l.pendingInitial.Add(1)
	}
	l.mu.Lock()
	l.queue = append(l.queue, n)
	l.mu.Unlock()
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

// close stops delivery; the notification in progress, if any, completes.
func (l *listener) close() {
	l.once.Do(func() { close(l.stop) })
}

// run delivers notifications until ctx ends or the listener is closed.
func (l *listener) run(ctx context.Context) {
	for {
		n, ok := l.pop(ctx)
		if !ok {
			return
		}
		l.deliver(n)
	}
}

func (l *listener) pop(ctx context.Context) (notification, bool) {
	for {
		select {
		case <-ctx.Done():
			return notification{}, false
		case <-l.stop:
			return notification{}, false
		default:
		}
		l.mu.Lock()
		if len(l.queue) > 0 {
			n := l.queue[0]
			l.queue[0] = notification{}
			l.queue = l.queue[1:]
			if len(l.queue) == 0 {
				l.queue = nil
			}
			l.mu.Unlock()
			return n, true
		}
		l.mu.Unlock()
		select {
		case <-ctx.Done():
		case <-l.stop:
		case <-l.wake:
		}
	}
}

func (l *listener) deliver(n notification) {
	switch n.kind {
	case notifyAdd:
		l.handler.OnAdd(n.obj, n.initial)
		if n.initial {
			l.pendingInitial.Add(-1)
		}
	case notifyUpdate:
		l.handler.OnUpdate(n.old, n.obj)
	case notifyDelete:
		l.handler.OnDelete(n.deleted)
	}
}

// Registration is a Handler's place in an Informer.
type Registration struct {
	inf *Informer
	l   *listener
}

// HasSynced says whether the informer has listed once and this handler has
// been given (and has returned from) every add of that initial contents.
func (r *Registration) HasSynced() bool {
	return r.inf.HasSynced() && r.l.pendingInitial.Load() == 0
}

// Remove stops the handler's notifications. A call in progress completes;
// queued notifications are dropped. Removing twice is harmless.
func (r *Registration) Remove() {
	r.inf.remove(r.l)
}
