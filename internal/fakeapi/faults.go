package fakeapi

import (
	"sync"
	"sync/atomic"
)

// faults holds the failures tests ask for.
type faults struct {
	mu         sync.Mutex
	failLeft   int
	failCode   int
	retryAfter int

	dropAfter atomic.Int64 // events per watch stream before it is cut; -1: never
}

// take returns the error the next request must answer with, if any.
func (f *faults) take() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failLeft <= 0 {
		return nil
	}
	f.failLeft--
	return statusForCode(f.failCode, f.retryAfter)
}

// FailNext makes the next n authenticated requests answer code with a
// Status of the matching reason (429 TooManyRequests, 500 InternalError,
// 503 ServiceUnavailable, 504 Timeout, ...), and a Retry-After header and
// details.retryAfterSeconds when retryAfterSeconds > 0. Watch requests count.
func (s *Server) FailNext(n, code, retryAfterSeconds int) {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.failLeft = n
	s.faults.failCode = code
	s.faults.retryAfter = retryAfterSeconds
}

// DropWatchesAfter makes the server cut every watch stream, running or
// future, abruptly (the connection closes mid-stream, without the chunked
// encoding's end) once it has written n events; bookmarks do not count.
// A negative n turns this off.
func (s *Server) DropWatchesAfter(n int) {
	s.faults.dropAfter.Store(int64(n))
}

// Compact forgets the history up to the current revision, as etcd's
// compaction: later watches and continue tokens from older revisions get
// 410 Expired. Watches that allow bookmarks get one right away.
func (s *Server) Compact() { s.store.compact() }

// SendBookmarks sends a bookmark now to every watch that allows them,
// without waiting for the bookmark interval.
func (s *Server) SendBookmarks() { s.store.bookmarkAll() }

// CloseClientConnections closes every client connection at once, watch
// streams included, as when the apiserver's host goes away.
func (s *Server) CloseClientConnections() { s.ts.CloseClientConnections() }
