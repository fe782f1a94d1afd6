package fakeapi

import (
	"crypto/tls"
	"crypto/x509"
	"strings"
	"time"
)

// config is what the options set.
type config struct {
	tls              bool
	cert             *tls.Certificate
	clientCAs        *x509.CertPool
	tokens           map[string]string
	maxBodyBytes     int64
	bookmarkInterval time.Duration
	prefix           string
	watchBuffer      int
}

func defaultConfig() config {
	return config{
		maxBodyBytes:     3 << 20, // upstream's MaxRequestBodyBytes
		bookmarkInterval: time.Minute,
		watchBuffer:      1000,
	}
}

// Option configures a Server.
type Option func(*config)

// WithTLS serves HTTPS with cert (nil: httptest's built-in certificate for
// 127.0.0.1, see Server.Certificate). A non-nil clientCAs authenticates
// client certificates it verifies, as the user of the certificate's
// CommonName; requests without a verified certificate or a valid token then
// get 401.
func WithTLS(cert *tls.Certificate, clientCAs *x509.CertPool) Option {
	return func(c *config) {
		c.tls = true
		c.cert = cert
		c.clientCAs = clientCAs
	}
}

// WithTokens requires a bearer token: tokens maps each accepted token to
// its user. Requests without a valid token or client certificate get 401.
func WithTokens(tokens map[string]string) Option {
	return func(c *config) {
		c.tokens = make(map[string]string, len(tokens))
		for k, v := range tokens {
			c.tokens[k] = v
		}
	}
}

// WithMaxRequestBodyBytes caps request bodies (default 3 MiB as upstream);
// a larger body gets 413 RequestEntityTooLarge.
func WithMaxRequestBodyBytes(n int64) Option {
	return func(c *config) { c.maxBodyBytes = n }
}

// WithBookmarkInterval sets how often watches that allow bookmarks get one
// (default one minute, as upstream). Zero or less sends them only on
// Compact and SendBookmarks.
func WithBookmarkInterval(d time.Duration) Option {
	return func(c *config) { c.bookmarkInterval = d }
}

// WithPathPrefix mounts the API under prefix (such as "/prefix"), as behind
// a kubeconfig server URL with a path. URL includes the prefix.
func WithPathPrefix(prefix string) Option {
	return func(c *config) { c.prefix = "/" + strings.Trim(prefix, "/") }
}

// WithWatchBufferSize sets how many events a watcher may fall behind before
// the server closes its stream (default 1000).
func WithWatchBufferSize(n int) Option {
	return func(c *config) { c.watchBuffer = max(n, 1) }
}
