package daemon

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// blockingPart runs until its context ends, recording that it started and
// whether it saw the cancellation.
type blockingPart struct {
	started   chan struct{}
	cancelled atomic.Bool
	result    error // returned after ctx ends
}

func newBlockingPart(result error) *blockingPart {
	return &blockingPart{started: make(chan struct{}), result: result}
}

func (p *blockingPart) Run(ctx context.Context) error {
	close(p.started)
	<-ctx.Done()
	p.cancelled.Store(true)
	return p.result
}

// listeningPart records the order of Listen and Run.
type listeningPart struct {
	listened  atomic.Bool
	listenErr error
	*blockingPart
}

func (p *listeningPart) Listen() error {
	p.listened.Store(true)
	return p.listenErr
}

func readyzFails(h *Health) bool {
	return h.Evaluate(httptest.NewRequest(http.MethodGet, "/readyz", nil), Readyz) != nil
}

func TestRunnerCleanShutdown(t *testing.T) {
	next := notifySocket(t)
	t.Setenv("WATCHDOG_USEC", "")
	h := NewHealth(nil)
	r := NewRunner(nil, h)
	server := &listeningPart{blockingPart: newBlockingPart(nil)}
	worker := newBlockingPart(context.Canceled) // returning ctx.Err() is a clean stop
	r.Add("secure-serving", server)
	r.Add("worker", worker)

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()

	if got := next(); got != "READY=1" {
		t.Fatalf("first notification %q, want READY=1", got)
	}
	if !server.listened.Load() {
		t.Error("READY=1 was sent before the server bound its port")
	}
	<-server.started
	<-worker.started
	if readyzFails(h) {
		t.Error("readyz fails while running")
	}
	cancel()
	if got := next(); got != "STOPPING=1" {
		t.Errorf("notification on shutdown %q, want STOPPING=1", got)
	}
	if err := <-done; err != nil {
		t.Fatalf("Run() = %v", err)
	}
	if !server.cancelled.Load() || !worker.cancelled.Load() {
		t.Error("a part's context was not cancelled")
	}
	if !readyzFails(h) {
		t.Error("readyz passes after shutdown")
	}
}

func TestRunnerFirstFailureStopsTheOthers(t *testing.T) {
	h := NewHealth(nil)
	r := NewRunner(nil, h)
	other := newBlockingPart(nil)
	boom := errors.New("lost the lease")
	r.Add("other", other)
	r.Add("leader", RunFunc(func(context.Context) error {
		<-other.started
		return boom
	}))
	err := r.Run(context.Background())
	if !errors.Is(err, boom) || !strings.HasPrefix(err.Error(), "leader: ") {
		t.Fatalf("Run() = %v, want the failing part's error, named", err)
	}
	if !other.cancelled.Load() {
		t.Error("the other part was not cancelled")
	}
	if !readyzFails(h) {
		t.Error("readyz passes after a part failed")
	}
}

func TestRunnerAllPartsDone(t *testing.T) {
	r := NewRunner(nil, nil)
	r.Add("once", RunFunc(func(context.Context) error { return nil }))
	if err := r.Run(context.Background()); err != nil {
		t.Errorf("Run() = %v", err)
	}
}

func TestRunnerListenFailureStartsNothing(t *testing.T) {
	r := NewRunner(nil, nil)
	ran := atomic.Bool{}
	r.Add("first", RunFunc(func(context.Context) error { ran.Store(true); return nil }))
	p := &listeningPart{listenErr: errors.New("address already in use"), blockingPart: newBlockingPart(nil)}
	r.Add("secure-serving", p)
	err := r.Run(context.Background())
	if err == nil || !strings.Contains(err.Error(), "secure-serving: address already in use") {
		t.Fatalf("Run() = %v", err)
	}
	if ran.Load() {
		t.Error("a part ran although a port could not be bound")
	}
}

func TestRunnerGracePeriod(t *testing.T) {
	r := NewRunner(nil, nil)
	r.GracePeriod = 20 * time.Millisecond
	release := make(chan struct{})
	defer close(release)
	r.Add("polite", newBlockingPart(nil))
	r.Add("stubborn", RunFunc(func(context.Context) error { <-release; return nil }))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := r.Run(ctx)
	if err == nil || !strings.Contains(err.Error(), "[stubborn]") {
		t.Fatalf("Run() = %v, want an error naming only the stuck part", err)
	}
}

func TestRunnerShutdownDelayDrainsFirst(t *testing.T) {
	h := NewHealth(nil)
	r := NewRunner(nil, h)
	r.ShutdownDelay = time.Hour
	delayStarted, endDelay := make(chan time.Duration, 1), make(chan time.Time)
	r.after = func(d time.Duration) <-chan time.Time {
		delayStarted <- d
		return endDelay
	}
	p := newBlockingPart(nil)
	r.Add("server", p)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	<-p.started
	cancel()
	if d := <-delayStarted; d != time.Hour {
		t.Errorf("delay %v", d)
	}
	if !readyzFails(h) {
		t.Error("readyz passes during the shutdown delay")
	}
	if p.cancelled.Load() {
		t.Error("the part was stopped before the shutdown delay ended")
	}
	close(endDelay)
	if err := <-done; err != nil {
		t.Fatalf("Run() = %v", err)
	}
	if !p.cancelled.Load() {
		t.Error("the part was not stopped after the delay")
	}
}

func TestRunnerAddDuplicatePanics(t *testing.T) {
	r := NewRunner(nil, nil)
	r.Add("a", RunFunc(func(context.Context) error { return nil }))
	defer func() {
		if recover() == nil {
			t.Error("Add accepted a duplicate name")
		}
	}()
	r.Add("a", RunFunc(func(context.Context) error { return nil }))
}
