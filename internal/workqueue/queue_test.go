package workqueue

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
)

// step is one operation in a scripted queue test.
type step struct {
	op   string // add, get, done, len
	item string // for add, get (the item expected), done
	n    int    // for len
}

func add(item string) step  { return step{op: "add", item: item} }
func get(item string) step  { return step{op: "get", item: item} }
func done(item string) step { return step{op: "done", item: item} }
func length(n int) step     { return step{op: "len", n: n} }

func TestQueueScripts(t *testing.T) {
	tests := []struct {
		name  string
		steps []step
	}{
		{"fifo order", []step{
			add("a"), add("b"), add("c"), length(3),
			get("a"), get("b"), get("c"), length(0),
		}},
		{"added twice while waiting is queued once", []step{
			add("a"), add("b"), add("a"), length(2),
			get("a"), get("b"), length(0),
		}},
		{"added while processing waits for done", []step{
			add("a"), get("a"), add("a"), length(0),
			add("b"), get("b"), done("a"), length(1), get("a"),
		}},
		{"added many times while processing is requeued once", []step{
			add("a"), get("a"), add("a"), add("a"), done("a"), length(1),
			get("a"), done("a"), length(0),
		}},
		{"requeued item goes to the back", []step{
			add("a"), get("a"), add("a"), add("b"), done("a"),
			get("b"), get("a"),
		}},
		{"done after done adds nothing", []step{
			add("a"), get("a"), done("a"), done("a"), length(0),
		}},
		{"done on an item not handed out does nothing", []step{
			done("x"), add("a"), done("a"), length(1), get("a"), length(0),
		}},
		{"add after done queues again", []step{
			add("a"), get("a"), done("a"), add("a"), length(1), get("a"),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := New[string]()
			t.Cleanup(q.ShutDown)
			runSteps(t, q, tt.steps)
		})
	}
}

func runSteps(t *testing.T, q *Queue[string], steps []step) {
	t.Helper()
	for i, s := range steps {
		switch s.op {
		case "add":
			q.Add(s.item)
		case "get":
			if got := mustGet(t, q); got != s.item {
				t.Fatalf("step %d: Get() = %q, want %q", i, got, s.item)
			}
		case "done":
			q.Done(s.item)
		case "len":
			if got := q.Len(); got != s.n {
				t.Fatalf("step %d: Len() = %d, want %d", i, got, s.n)
			}
		default:
			t.Fatalf("step %d: unknown op %q", i, s.op)
		}
	}
}

// TestQueueNeverTwoWorkersOnOneItem runs producers and workers over a few
// keys: no key may be processed by two workers at once, and every key must
// be processed after its last Add (no update is lost).
func TestQueueNeverTwoWorkersOnOneItem(t *testing.T) {
	const (
		workers   = 8
		producers = 4
		keys      = 5
		perWorker = 2000
	)
	q := New[int]()
	var (
		version   [keys]atomic.Int64 // bumped before each Add
		seen      [keys]atomic.Int64 // the latest version a worker saw
		active    [keys]atomic.Int32
		processed atomic.Int64
		wg        sync.WaitGroup
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				k, shutdown := q.Get()
				if shutdown {
					return
				}
				if n := active[k].Add(1); n != 1 {
					t.Errorf("key %d is processed by %d workers at once", k, n)
				}
				v := version[k].Load()
				if v > seen[k].Load() {
					seen[k].Store(v) // only the one worker holding k writes
				}
				runtime.Gosched()
				processed.Add(1)
				active[k].Add(-1)
				q.Done(k)
			}
		}()
	}
	var pwg sync.WaitGroup
	for p := range producers {
		pwg.Add(1)
		go func() {
			defer pwg.Done()
			for i := range perWorker {
				k := (i + p) % keys
				version[k].Add(1)
				q.Add(k)
			}
		}()
	}
	pwg.Wait()
	finished := make(chan struct{})
	go func() {
		q.ShutDownWithDrain()
		wg.Wait()
		close(finished)
	}()
	receive(t, finished, "drain and stop workers")

	for k := range keys {
		if got, want := seen[k].Load(), version[k].Load(); got != want {
			t.Errorf("key %d: last processed version %d, last added %d", k, got, want)
		}
	}
	if n := processed.Load(); n < keys || n > producers*perWorker {
		t.Errorf("processed %d items, want between %d and %d", n, keys, producers*perWorker)
	}
}

func TestQueueShutDown(t *testing.T) {
	tests := []struct {
		name string
		run  func(t *testing.T, q *Queue[string])
	}{
		{"add after shutdown is ignored", func(t *testing.T, q *Queue[string]) {
			q.ShutDown()
			q.Add("a")
			if n := q.Len(); n != 0 {
				t.Fatalf("Len() = %d after Add on a shut down queue", n)
			}
		}},
		{"waiting items are handed out before shutdown is reported", func(t *testing.T, q *Queue[string]) {
			q.Add("a")
			q.Add("b")
			q.ShutDown()
			if got := mustGet(t, q); got != "a" {
				t.Fatalf("Get() = %q, want a", got)
			}
			if got := mustGet(t, q); got != "b" {
				t.Fatalf("Get() = %q, want b", got)
			}
			if r := receive(t, getAsync(q), "Get"); !r.shutdown || r.item != "" {
				t.Fatalf("Get() = %q, %v; want \"\", true", r.item, r.shutdown)
			}
		}},
		{"dirty item is requeued at done after shutdown", func(t *testing.T, q *Queue[string]) {
			q.Add("a")
			mustGet(t, q)
			q.Add("a")
			q.ShutDown()
			q.Done("a")
			if got := mustGet(t, q); got != "a" {
				t.Fatalf("Get() = %q, want a", got)
			}
		}},
		{"blocked get returns on shutdown", func(t *testing.T, q *Queue[string]) {
			ch := getAsync(q)
			q.ShutDown()
			if r := receive(t, ch, "Get"); !r.shutdown {
				t.Fatalf("Get() = %q, false; want shutdown", r.item)
			}
		}},
		{"shutting down reports it", func(t *testing.T, q *Queue[string]) {
			if q.ShuttingDown() {
				t.Fatal("ShuttingDown() before ShutDown")
			}
			q.ShutDown()
			q.ShutDown() // twice is fine
			if !q.ShuttingDown() {
				t.Fatal("!ShuttingDown() after ShutDown")
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := New[string]()
			t.Cleanup(q.ShutDown)
			tt.run(t, q)
		})
	}
}

func TestQueueShutDownWithDrain(t *testing.T) {
	tests := []struct {
		name string
		// release makes the waiting ShutDownWithDrain return.
		release func(q *Queue[string])
	}{
		{"returns when the last item is done", func(q *Queue[string]) {
			q.Done("a")
		}},
		{"returns on shutdown", func(q *Queue[string]) {
			q.ShutDown()
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := New[string]()
			q.Add("a")
			q.Add("b")
			mustGet(t, q)
			mustGet(t, q)
			q.Done("b")

			drained := make(chan struct{})
			go func() {
				q.ShutDownWithDrain()
				close(drained)
			}()
			// The queue is empty, so Get returns only once the drain has
			// shut it down, and the drain holds the lock from then until it
			// waits: when Get returns, the drain is waiting.
			if r := receive(t, getAsync(q), "Get"); !r.shutdown {
				t.Fatalf("Get() = %q, want shutdown", r.item)
			}
			select {
			case <-drained:
				t.Fatal("ShutDownWithDrain returned while a was processing")
			default:
			}
			tt.release(q)
			receive(t, drained, "ShutDownWithDrain")
		})
	}
}

func TestQueueShutDownWithDrainIdle(t *testing.T) {
	q := New[string]()
	q.ShutDownWithDrain() // nothing processing: returns at once
	if !q.ShuttingDown() {
		t.Fatal("!ShuttingDown() after ShutDownWithDrain")
	}
}
