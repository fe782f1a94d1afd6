package filters

import (
	"net/http"
	"runtime"
	"sync"
	"time"
)

// requestStackBytes is the frame that grows a write's stack. A create walks
// its object recursively (JSON decoding, the field manager's walk,
// validation), past the 8 KiB a goroutine starts with but within 16 KiB (a
// CPU profile of the create benchmark shows no other stack growth). The
// frame plus the few KiB already in use must stay under 16 KiB: a 16 KiB
// stack comes from the runtime's per-P cache, a 32 KiB one from the heap
// under a lock, which cost a create about 4% of its CPU time when this
// frame was 16 KiB.
const requestStackBytes = 10 << 10

const (
	// idleWorkerTimeout is how long a write worker waits for its next
	// request before it ends.
	idleWorkerTimeout = 30 * time.Second
	// maxIdleWorkers bounds the workers that wait: past a burst of writes
	// the others end at once, as request goroutines do, rather than hold
	// their stacks for idleWorkerTimeout.
	maxIdleWorkers = 64
)

// WithWriteWorkers runs each write (any method but GET and HEAD) on one of
// a set of goroutines kept between writes, whose stacks have already grown
// to what a write uses.
//
// The server starts a goroutine per request, and a goroutine starts small:
// it doubles its stack whenever a call would overflow it, copying the stack
// and adjusting every frame on it. Deep in a write that costs several copies
// of a deep stack, about a tenth of a create's CPU time; one copy of a
// shallow stack at the start still cost about 3%. A kept goroutine grows
// once, and again only after the garbage collector has shrunk its stack
// while it waited. Handing the request over and back costs two goroutine
// switches. At most maxIdleWorkers wait, each for idleWorkerTimeout, so a
// burst of writes leaves no more than that behind. Reads run where they
// arrive: they are shallower, and a watch
// would hold a worker for its whole life.
//
// A panic of the handler is raised again on the request's own goroutine,
// so the server treats it (http.ErrAbortHandler included) as before.
func WithWriteWorkers(h http.Handler) http.Handler {
	return &workers{h: h, idleTimeout: idleWorkerTimeout, maxIdle: maxIdleWorkers}
}

func (p *workers) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		p.h.ServeHTTP(w, r)
		return
	}
	p.serve(w, r)
}

// workers are the goroutines that serve writes.
type workers struct {
	h           http.Handler
	idleTimeout time.Duration
	maxIdle     int
	mu          sync.Mutex
	idle        []*worker // waiting for a request, the most recently used last
}

// worker is one goroutine: it serves one request at a time, sent on jobs,
// and reports on done what the handler panicked with (nil: it returned).
type worker struct {
	jobs chan job
	done chan any
}

type job struct {
	w http.ResponseWriter
	r *http.Request
}

// serve runs the request on an idle worker, or a new one, and waits for it.
func (p *workers) serve(w http.ResponseWriter, r *http.Request) {
	wk := p.take()
	if wk == nil {
		wk = &worker{jobs: make(chan job), done: make(chan any)}
		go p.run(wk)
	}
	wk.jobs <- job{w: w, r: r}
	if v := <-wk.done; v != nil {
		if _, ok := v.(goexit); ok {
			runtime.Goexit()
		}
		panic(v)
	}
}

// goexit is what a worker reports when the handler called runtime.Goexit:
// the worker's goroutine ends, and the request's ends the same way.
type goexit struct{}

// take removes the most recently used idle worker; nil when none waits.
func (p *workers) take() *worker {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := len(p.idle)
	if n == 0 {
		return nil
	}
	wk := p.idle[n-1]
	p.idle[n-1] = nil
	p.idle = p.idle[:n-1]
	return wk
}

// park adds wk to the idle workers; false when enough wait already.
func (p *workers) park(wk *worker) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.idle) >= p.maxIdle {
		return false
	}
	p.idle = append(p.idle, wk)
	return true
}

// retire removes wk from the idle workers; false when a request has taken
// it meanwhile, and so is on its way.
func (p *workers) retire(wk *worker) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i, idle := range p.idle {
		if idle == wk {
			p.idle = append(p.idle[:i], p.idle[i+1:]...)
			return true
		}
	}
	return false
}

// run serves requests until the worker has waited p.idleTimeout for one,
// or finds p.maxIdle workers waiting when it is done with one.
func (p *workers) run(wk *worker) {
	timer := time.NewTimer(p.idleTimeout)
	defer timer.Stop()
	j := <-wk.jobs // a new worker's first request is already on its way
	for {
		panicked := p.serveOne(wk, j)
		j = job{} // keeps nothing of the request while idle
		// Idle before the request's goroutine goes on: its client's next
		// write finds this worker. A write that takes it before the report
		// is read waits for it on jobs.
		parked := p.park(wk)
		wk.done <- panicked
		if !parked {
			return
		}
		timer.Reset(p.idleTimeout)
		select {
		case j = <-wk.jobs:
		case <-timer.C:
			if p.retire(wk) {
				return
			}
			j = <-wk.jobs
		}
	}
}

// serveOne runs the handler on a grown stack and returns what it panicked
// with, if it did. A handler that calls runtime.Goexit ends the worker:
// serveOne reports it on wk.done itself, as it never returns.
func (p *workers) serveOne(wk *worker, j job) (panicked any) {
	returned := false
	defer func() {
		if returned {
			return
		}
		if panicked = recover(); panicked == nil {
			wk.done <- goexit{}
		}
	}()
	growStack()
	p.h.ServeHTTP(j.w, j.r)
	returned = true
	return nil
}

// growStack's frame is requestStackBytes large: calling it grows the stack
// to hold it unless it has grown already, and the stack stays that size
// while the goroutine works.
//
//go:noinline
func growStack() {
	var frame [requestStackBytes]byte
	touch(frame[:])
}

//go:noinline
func touch(b []byte) { b[len(b)-1] = 1 }
