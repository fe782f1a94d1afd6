package watchcache

import (
	"errors"
	"fmt"

	"github.com/skiff-dev/skiff/apiserver/storage"
)

var (
	// ErrNotReady: the cache has not finished its first list, is relisting
	// after its watch expired, or has stopped. Upstream answers a watch with
	// 429 "storage is (re)initializing" (Retry-After 1) and sends a list to
	// etcd instead.
	ErrNotReady = errors.New("storage is (re)initializing")
	// ErrTooSlow is a Watcher's Err when it was closed because it did not
	// take its events in time. The client resumes from its last
	// resourceVersion.
	ErrTooSlow = errors.New("watcher could not keep up with its events")
	// ErrStopped is a Watcher's Err when the cache stopped (its Run ended).
	ErrStopped = errors.New("watch cache stopped")
)

// ExpiredError says a watch asked for changes the cache no longer holds:
// Requested is older than Oldest, the revision the event ring starts from.
// It wraps storage.ErrExpired; its text is upstream's Status message for the
// 410 Expired answer.
type ExpiredError struct {
	Requested int64
	Oldest    int64
}

func (e *ExpiredError) Error() string {
	return fmt.Sprintf("too old resource version: %d (%d)", e.Requested, e.Oldest)
}

func (e *ExpiredError) Unwrap() error { return storage.ErrExpired }

// TooLargeResourceVersionError says the cache did not reach Requested within
// its wait (Config.WaitTimeout); Current is where it is. It wraps
// storage.ErrTooLargeResourceVersion; its text is upstream's Status message
// for the 504 Timeout answer (Retry-After 1, cause ResourceVersionTooLarge).
type TooLargeResourceVersionError struct {
	Requested int64
	Current   int64
}

func (e *TooLargeResourceVersionError) Error() string {
	return fmt.Sprintf("Too large resource version: %d, current: %d", e.Requested, e.Current)
}

func (e *TooLargeResourceVersionError) Unwrap() error { return storage.ErrTooLargeResourceVersion }
