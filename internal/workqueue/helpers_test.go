package workqueue

import (
	"context"
	"testing"
	"time"
)

// failAfter bounds how long a test waits for something that should happen
// promptly; reaching it means the test failed, it is not a synchronisation.
const failAfter = 5 * time.Second

var t0 = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

func testContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), failAfter)
	t.Cleanup(cancel)
	return ctx
}

type getResult[T comparable] struct {
	item     T
	shutdown bool
}

// getAsync calls q.Get in a goroutine and delivers the result.
func getAsync[T comparable](q *Queue[T]) <-chan getResult[T] {
	ch := make(chan getResult[T], 1)
	go func() {
		item, shutdown := q.Get()
		ch <- getResult[T]{item, shutdown}
	}()
	return ch
}

// receive waits for ch to deliver, failing the test if it does not.
func receive[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(failAfter):
		t.Fatalf("%s: nothing after %s", what, failAfter)
		panic("unreachable")
	}
}

// mustGet gets an item from q, failing the test on shutdown or if Get
// blocks.
func mustGet[T comparable](t *testing.T, q *Queue[T]) T {
	t.Helper()
	r := receive(t, getAsync(q), "Get")
	if r.shutdown {
		t.Fatalf("Get reported shutdown")
	}
	return r.item
}
