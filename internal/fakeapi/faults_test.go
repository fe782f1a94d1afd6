package fakeapi

import (
	"net/http"
	"strconv"
	"testing"
)

func TestFailNext(t *testing.T) {
	tests := []struct {
		name       string
		code       int
		retryAfter int
		reason     string
		message    string
	}{
		{"too many requests", http.StatusTooManyRequests, 3, "TooManyRequests", "Too many requests, please try again later."},
		{"unavailable", http.StatusServiceUnavailable, 0, "ServiceUnavailable", ""},
		{"internal error", http.StatusInternalServerError, 0, "InternalError", ""},
		{"timeout", http.StatusGatewayTimeout, 1, "Timeout", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := New(t)
			srv.FailNext(2, tt.code, tt.retryAfter)
			for i := 0; i < 2; i++ {
				r := do(t, srv, http.MethodGet, "/api/v1/pods?watch=1", "", "")
				wantStatus(t, r, tt.code, tt.reason, tt.message)
				want := ""
				if tt.retryAfter > 0 {
					want = strconv.Itoa(tt.retryAfter)
				}
				if got := r.header.Get("Retry-After"); got != want {
					t.Fatalf("Retry-After %q, want %q", got, want)
				}
				if tt.retryAfter > 0 && r.num("details.retryAfterSeconds") != float64(tt.retryAfter) {
					t.Fatalf("details: %s", r.raw)
				}
			}
			if r := do(t, srv, http.MethodGet, "/api/v1/pods", "", ""); r.code != http.StatusOK {
				t.Fatalf("third request: %d %s", r.code, r.raw)
			}
			if n := len(srv.Requests()); n != 3 {
				t.Fatalf("recorded %d requests, want 3", n)
			}
		})
	}
}
