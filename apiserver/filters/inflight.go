package filters

import (
	"net/http"

	apierrors "k8s.io/apimachinery/pkg/api/errors"

	"github.com/skiff-dev/skiff/apiserver/endpoints"
)

// retryAfterSeconds is what a throttled client is told to wait, as upstream.
const retryAfterSeconds = 1

// WithMaxInFlight limits requests being served at once: read-only requests
// to maxReadOnly, mutating ones to maxMutating (0: unlimited), as
// --max-requests-inflight and --max-mutating-requests-inflight do. Watches
// are long-running and not counted. Past the limit: 429 with Retry-After.
func WithMaxInFlight(maxReadOnly, maxMutating int, m *Metrics, next http.Handler) http.Handler {
	readOnly := newLimit(maxReadOnly)
	mutating := newLimit(maxMutating)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info, _ := endpoints.RequestInfoFrom(r.Context())
		if LongRunning(info) {
			next.ServeHTTP(w, r)
			return
		}
		lim, kind := readOnly, "readOnly"
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			lim, kind = mutating, "mutating"
		}
		if !lim.acquire() {
			m.rejected(kind)
			endpoints.WriteStatusError(w, apierrors.NewTooManyRequests("Too many requests, please try again later.", retryAfterSeconds))
			return
		}
		m.inflight(kind, 1)
		defer func() {
			m.inflight(kind, -1)
			lim.release()
		}()
		next.ServeHTTP(w, r)
	})
}

// limit is a counting semaphore; a nil channel is no limit.
type limit chan struct{}

func newLimit(n int) limit {
	if n <= 0 {
		return nil
	}
	return make(limit, n)
}

func (l limit) acquire() bool {
	if l == nil {
		return true
	}
	select {
	case l <- struct{}{}:
		return true
	default:
		return false
	}
}

func (l limit) release() {
	if l != nil {
		<-l
	}
}

// LongRunning says whether a request streams for long (watches, logs,
// exec, attach, port-forward, proxy): upstream keeps those out of the
// in-flight limits and request timeouts.
func LongRunning(info *endpoints.RequestInfo) bool {
	if info == nil {
		return false
	}
	if info.Verb == "watch" {
		return true
	}
	switch info.Subresource {
	case "log", "exec", "attach", "portforward", "proxy":
		return true
	}
	return false
}
