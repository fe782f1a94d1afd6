package filters

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync"
	"testing"
	"time"
)

// goroutineID is the number the runtime gives the calling goroutine.
func goroutineID() string {
	buf := make([]byte, 64)
	buf = buf[:runtime.Stack(buf, false)]
	return string(bytes.Fields(buf)[1]) // "goroutine 17 [running]:"
}

// recordGoroutine answers 201 with the id of the goroutine it ran on.
var recordGoroutine = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Method", r.Method)
	w.WriteHeader(http.StatusCreated)
	fmt.Fprint(w, goroutineID())
})

func (p *workers) idleCount() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.idle)
}

func TestWriteWorkersServeWritesOnOneKeptGoroutine(t *testing.T) {
	p := WithWriteWorkers(recordGoroutine).(*workers)
	served := map[string]string{}
	for _, method := range []string{"POST", "PUT", "PATCH", "DELETE", "POST", "GET"} {
		rec := httptest.NewRecorder()
		p.ServeHTTP(rec, httptest.NewRequest(method, "/api/v1/namespaces", nil))
		if rec.Code != http.StatusCreated || rec.Header().Get("X-Method") != method {
			t.Fatalf("%s: %d %v, want 201 and the handler's header", method, rec.Code, rec.Header())
		}
		served[method] = rec.Body.String()
	}
	if here := goroutineID(); served["GET"] != here {
		t.Errorf("GET ran on goroutine %s, want the request's own (%s)", served["GET"], here)
	}
	for _, method := range []string{"PUT", "PATCH", "DELETE", "POST"} {
		if served[method] == goroutineID() || served[method] != served["PUT"] {
			t.Errorf("writes ran on goroutines %v, want one worker, not the request's own (%s)", served, goroutineID())
			break
		}
	}
	if n := p.idleCount(); n != 1 {
		t.Errorf("%d idle workers after sequential writes, want 1", n)
	}
}

func TestWriteWorkersServeConcurrentWritesEachOnItsOwnWorker(t *testing.T) {
	const writes, maxIdle = 32, 8
	var entered sync.WaitGroup
	entered.Add(writes)
	release := make(chan struct{})
	p := &workers{h: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		entered.Done()
		<-release
		recordGoroutine(w, r)
	}), idleTimeout: idleWorkerTimeout, maxIdle: maxIdle}
	ids := make([]string, writes)
	var done sync.WaitGroup
	for i := range writes {
		done.Add(1)
		go func() {
			defer done.Done()
			rec := httptest.NewRecorder()
			p.ServeHTTP(rec, httptest.NewRequest("POST", "/api/v1/namespaces", nil))
			ids[i] = rec.Body.String()
		}()
	}
	entered.Wait() // all of them at once: none waits for another's worker
	close(release)
	done.Wait()
	seen := map[string]bool{}
	for _, id := range ids {
		seen[id] = true
	}
	if len(seen) != writes {
		t.Errorf("%d concurrent writes ran on %d goroutines, want one each", writes, len(seen))
	}
	if n := p.idleCount(); n != maxIdle {
		t.Errorf("%d idle workers after a burst of %d, want %d: the others end", n, writes, maxIdle)
	}
}

func TestWriteWorkersRaisePanicsOnTheRequestsGoroutine(t *testing.T) {
	p := WithWriteWorkers(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/abort":
			panic(http.ErrAbortHandler)
		case "/boom":
			panic("boom")
		}
		recordGoroutine(w, r)
	})).(*workers)
	for path, want := range map[string]any{"/abort": http.ErrAbortHandler, "/boom": "boom"} {
		func() {
			defer func() {
				if got := recover(); got != want {
					t.Errorf("POST %s panicked with %v, want %v", path, got, want)
				}
			}()
			p.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", path, nil))
		}()
	}
	rec := httptest.NewRecorder()
	p.ServeHTTP(rec, httptest.NewRequest("POST", "/", nil))
	if rec.Code != http.StatusCreated {
		t.Errorf("a write after the panics: %d, want 201", rec.Code)
	}
	if n := p.idleCount(); n != 1 {
		t.Errorf("%d idle workers, want the one that survived the panics", n)
	}
}

func TestWriteWorkersEndAfterIdling(t *testing.T) {
	p := &workers{h: recordGoroutine, idleTimeout: time.Millisecond, maxIdle: maxIdleWorkers}
	p.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", "/", nil))
	deadline := time.Now().Add(10 * time.Second)
	for p.idleCount() != 0 {
		if time.Now().After(deadline) {
			t.Fatal("the idle worker is still waiting 10s after a 1ms idle timeout")
		}
		runtime.Gosched()
	}
}

// A worker that times out just as a request takes it serves the request.
func TestWriteWorkersServeRequestsThatRaceTheirTimeout(t *testing.T) {
	p := &workers{h: recordGoroutine, idleTimeout: time.Microsecond, maxIdle: maxIdleWorkers}
	for i := range 2000 {
		rec := httptest.NewRecorder()
		p.ServeHTTP(rec, httptest.NewRequest("POST", "/", nil))
		if rec.Code != http.StatusCreated {
			t.Fatalf("write %d: %d, want 201", i, rec.Code)
		}
	}
}

// A handler that calls runtime.Goexit ends the request's goroutine as it
// would without workers, and the worker's with it.
func TestWriteWorkersEndTheRequestOnGoexit(t *testing.T) {
	p := WithWriteWorkers(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/exit" {
			runtime.Goexit()
		}
		recordGoroutine(w, r)
	})).(*workers)
	ended, after := make(chan struct{}), false
	go func() {
		defer close(ended)
		p.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", "/exit", nil))
		after = true
	}()
	<-ended
	if after {
		t.Error("the request's goroutine went on after the handler's Goexit")
	}
	if n := p.idleCount(); n != 0 {
		t.Errorf("%d idle workers, want none: the worker ended", n)
	}
	rec := httptest.NewRecorder()
	p.ServeHTTP(rec, httptest.NewRequest("POST", "/", nil))
	if rec.Code != http.StatusCreated {
		t.Errorf("a write after the Goexit: %d, want 201", rec.Code)
	}
}
