package client

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"
)

// newTransport builds the HTTP transport for cfg: TLS 1.2 or newer, the
// server's CA and the client certificate, then credentials and User-Agent
// on every request.
func newTransport(cfg *Config) (http.RoundTripper, error) {
	tlsCfg := &tls.Config{
		MinVersion:         tls.VersionTLS12,
		ServerName:         cfg.ServerName,
		InsecureSkipVerify: cfg.Insecure, //nolint:gosec // asked for by insecure-skip-tls-verify
	}
	if len(cfg.CAData) > 0 {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(cfg.CAData) {
			return nil, errors.New("certificate authority: no PEM certificate found")
		}
		tlsCfg.RootCAs = pool
	}
	if len(cfg.CertData) > 0 {
		cert, err := tls.X509KeyPair(cfg.CertData, cfg.KeyData)
		if err != nil {
			return nil, fmt.Errorf("client certificate: %w", err)
		}
		tlsCfg.Certificates = []tls.Certificate{cert}
	}
	proxy := http.ProxyFromEnvironment
	if cfg.ProxyURL != "" {
		u, err := url.Parse(cfg.ProxyURL)
		if err != nil {
			return nil, fmt.Errorf("proxy-url %q: %w", cfg.ProxyURL, err)
		}
		proxy = http.ProxyURL(u)
	}
	base := &http.Transport{
		Proxy:               proxy,
		DialContext:         (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		TLSClientConfig:     tlsCfg,
		TLSHandshakeTimeout: 10 * time.Second,
		MaxIdleConnsPerHost: 25,
		IdleConnTimeout:     90 * time.Second,
		ForceAttemptHTTP2:   true,
	}
	var rt http.RoundTripper = base
	switch {
	case cfg.BearerToken != "" || cfg.BearerTokenFile != "":
		rt = &bearerAuth{next: rt, token: cfg.BearerToken, source: newTokenFile(cfg.BearerTokenFile)}
	case cfg.Username != "":
		rt = &basicAuth{next: rt, user: cfg.Username, pass: cfg.Password}
	}
	return rt, nil
}

// bearerAuth sets "Authorization: Bearer …", from the token file when it
// has one (re-read periodically), else the fixed token.
type bearerAuth struct {
	next   http.RoundTripper
	token  string
	source *tokenFile
}

func (b *bearerAuth) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Header.Get("Authorization") != "" {
		return b.next.RoundTrip(req)
	}
	token := b.token
	if b.source != nil {
		if t, err := b.source.Token(); err == nil {
			token = t
		} else if token == "" {
			return nil, err
		}
	}
	req = req.Clone(req.Context())
	req.Header.Set("Authorization", "Bearer "+token)
	return b.next.RoundTrip(req)
}

type basicAuth struct {
	next       http.RoundTripper
	user, pass string
}

func (b *basicAuth) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Header.Get("Authorization") != "" {
		return b.next.RoundTrip(req)
	}
	req = req.Clone(req.Context())
	req.SetBasicAuth(b.user, b.pass)
	return b.next.RoundTrip(req)
}

// tokenRefresh is how long a token read from a file is trusted before the
// file is read again (projected service-account tokens rotate).
const tokenRefresh = time.Minute

// tokenFile caches a token file's content and re-reads it after
// tokenRefresh; when a re-read fails the last good token is kept.
type tokenFile struct {
	path string
	now  func() time.Time

	mu     sync.Mutex
	token  string
	readAt time.Time
}

func newTokenFile(path string) *tokenFile {
	if path == "" {
		return nil
	}
	return &tokenFile{path: path, now: time.Now}
}

func (f *tokenFile) Token() (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.token != "" && f.now().Sub(f.readAt) < tokenRefresh {
		return f.token, nil
	}
	b, err := os.ReadFile(f.path)
	if err == nil && strings.TrimSpace(string(b)) == "" {
		err = fmt.Errorf("token file %s is empty", f.path)
	}
	if err != nil {
		if f.token != "" {
			return f.token, nil
		}
		return "", fmt.Errorf("read token file: %w", err)
	}
	f.token, f.readAt = strings.TrimSpace(string(b)), f.now()
	return f.token, nil
}
