package workqueue_test

import (
	"errors"
	"fmt"

	"github.com/skiff-dev/skiff/internal/workqueue"
)

// A worker processes keys; a failed key is retried with backoff.
func Example() {
	q := workqueue.NewRateLimiting[string](workqueue.DefaultControllerRateLimiter[string]())
	defer q.ShutDown()

	failedOnce := map[string]bool{}
	sync := func(key string) error {
		if key == "default/b" && !failedOnce[key] {
			failedOnce[key] = true
			return errors.New("conflict")
		}
		fmt.Println("synced", key)
		return nil
	}

	q.Add("default/a")
	q.Add("default/b")
	q.Add("default/a") // still waiting: queued once
	for synced := 0; synced < 2; {
		key, shutdown := q.Get()
		if shutdown {
			return
		}
		if err := sync(key); err != nil {
			fmt.Printf("retry %s (%v), requeues so far %d\n", key, err, q.NumRequeues(key))
			q.AddRateLimited(key) // back after 5ms
		} else {
			q.Forget(key)
			synced++
		}
		q.Done(key)
	}
	// Output:
	// synced default/a
	// retry default/b (conflict), requeues so far 0
	// synced default/b
}
