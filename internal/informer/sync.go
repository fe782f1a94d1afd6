package informer

import (
	"context"
	"time"
)

// syncPollInterval is how often WaitForCacheSync looks again.
const syncPollInterval = 50 * time.Millisecond

// WaitForCacheSync waits until every function (an Informer's or a
// Registration's HasSynced) returns true, and says whether they all did
// before ctx ended.
func WaitForCacheSync(ctx context.Context, synced ...func() bool) bool {
	t := time.NewTicker(syncPollInterval)
	defer t.Stop()
	for {
		if allTrue(synced) {
			return true
		}
		select {
		case <-ctx.Done():
			return false
		case <-t.C:
		}
	}
}

func allTrue(fns []func() bool) bool {
	for _, f := range fns {
		if !f() {
			return false
		}
	}
	return true
}
