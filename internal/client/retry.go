package client

import (
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"syscall"
	"time"
)

// Retry policy, as upstream's client: a 429, or a 5xx carrying Retry-After,
// is retried for every verb after the server's Retry-After (or a backoff
// when it gave none); a failed connection is retried for GET, and for every
// verb when the request never left (the dial failed).
const (
	retryBackoffBase = 100 * time.Millisecond
	retryBackoffMax  = 10 * time.Second
)

func (c *Client) retryAfter(attempt int, method string, resp *http.Response, err error) (time.Duration, bool) {
	if attempt >= c.maxRetries {
		return 0, false
	}
	if err != nil {
		if retryableConnError(method, err) {
			return backoff(attempt), true
		}
		return 0, false
	}
	code := resp.StatusCode
	seconds, hasRetryAfter := parseRetryAfter(resp.Header.Get("Retry-After"))
	switch {
	case code == http.StatusTooManyRequests:
	case code >= 500 && code <= 504 && hasRetryAfter:
	default:
		return 0, false
	}
	if hasRetryAfter {
		return time.Duration(seconds) * time.Second, true
	}
	return backoff(attempt), true
}

func backoff(attempt int) time.Duration {
	d := retryBackoffBase << min(attempt, 16)
	return min(d, retryBackoffMax)
}

func parseRetryAfter(v string) (int, bool) {
	if v == "" {
		return 0, false
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, false
	}
	return n, true
}

func retryableConnError(method string, err error) bool {
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "dial" {
		return true // nothing was sent
	}
	if method != http.MethodGet && method != http.MethodHead {
		return false
	}
	return errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.EPIPE)
}
