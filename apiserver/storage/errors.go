package storage

import (
	"errors"
	"fmt"
)

// Sentinel errors; they are wrapped with the key they concern, and only the
// HTTP layer turns them into API statuses.
var (
	// ErrNotFound: no object at the key.
	ErrNotFound = errors.New("not found")
	// ErrAlreadyExists: an object is already at the key.
	ErrAlreadyExists = errors.New("already exists")
	// ErrConflict: a precondition (resourceVersion or UID) did not hold.
	ErrConflict = errors.New("the object has been modified")
	// ErrExpired: the revision asked for has been compacted away (410).
	ErrExpired = errors.New("resource version too old")
	// ErrInvalidContinue: a continue token that cannot be read.
	ErrInvalidContinue = errors.New("invalid continue token")
	// ErrTooLargeResourceVersion: a revision the store has not reached.
	ErrTooLargeResourceVersion = errors.New("too large resource version")
	// ErrUnavailable: etcd cannot be reached.
	ErrUnavailable = errors.New("storage unavailable")
)

// ContinueExpiredError: a continue token's revision has been compacted away.
// It unwraps to ErrExpired. Continue, when set, is a token that goes on from
// the same key at the latest revision (an inconsistent list), which upstream
// offers in its 410 Status.
type ContinueExpiredError struct {
	Key      string // the list's prefix
	Continue string
}

func (e *ContinueExpiredError) Error() string {
	return fmt.Sprintf("key %q: continue token: %v", e.Key, ErrExpired)
}

// Unwrap makes errors.Is(err, ErrExpired) hold.
func (e *ContinueExpiredError) Unwrap() error { return ErrExpired }
