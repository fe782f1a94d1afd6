package informer

import (
	"context"
	"sync/atomic"
	"testing"
)

func TestWaitForCacheSync(t *testing.T) {
	yes := func() bool { return true }
	no := func() bool { return false }
	t.Run("all synced", func(t *testing.T) {
		if !WaitForCacheSync(context.Background(), yes, yes) {
			t.Error("= false")
		}
	})
	t.Run("context ends first", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if WaitForCacheSync(ctx, yes, no) {
			t.Error("= true")
		}
	})
	t.Run("syncs while waiting", func(t *testing.T) {
		var calls atomic.Int32
		later := func() bool { return calls.Add(1) >= 3 }
		ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
		defer cancel()
		if !WaitForCacheSync(ctx, yes, later) {
			t.Error("= false")
		}
	})
}
