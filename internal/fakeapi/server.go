package fakeapi

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// Server is an in-memory kube-apiserver on a real HTTP listener.
type Server struct {
	cfg    config
	reg    *registry
	store  *store
	auth   authenticator
	faults faults
	ts     *httptest.Server

	stopping  chan struct{} // closed by Close: watch streams end
	closeOnce sync.Once

	reqMu    sync.Mutex
	requests []Request
}

// Request is one request the server received, recorded before any fault or
// authentication decides its answer.
type Request struct {
	Method   string
	Path     string // without the path prefix
	RawQuery string
	Header   http.Header // includes User-Agent, Content-Type, Authorization
	User     string      // the authenticated user; "" when none
	Body     []byte
	// DeleteOptions are the options a DELETE carried, from its body and
	// query; nil for other requests.
	DeleteOptions *metav1.DeleteOptions
}

// New starts a server for the test; it is closed when the test ends.
func New(t testing.TB, opts ...Option) *Server {
	t.Helper()
	cfg := defaultConfig()
	for _, opt := range opts {
		opt(&cfg)
	}
	s := &Server{
		cfg:      cfg,
		reg:      newRegistry(),
		store:    newStore(),
		auth:     authenticator{clientCAs: cfg.clientCAs, tokens: cfg.tokens},
		stopping: make(chan struct{}),
	}
	s.faults.dropAfter.Store(-1)
	s.ts = httptest.NewUnstartedServer(s)
	if cfg.tls {
		tc := &tls.Config{MinVersion: tls.VersionTLS12}
		if cfg.cert != nil {
			tc.Certificates = []tls.Certificate{*cfg.cert}
		}
		if cfg.clientCAs != nil {
			tc.ClientAuth = tls.RequestClientCert
		}
		s.ts.TLS = tc
		s.ts.StartTLS()
	} else {
		s.ts.Start()
	}
	t.Cleanup(s.Close)
	return s
}

// URL is the server's base URL, path prefix included.
func (s *Server) URL() string { return s.ts.URL + s.cfg.prefix }

// Client returns an HTTP client that trusts the server's certificate and
// presents none of its own.
func (s *Server) Client() *http.Client { return s.ts.Client() }

// Certificate returns the server's TLS certificate; nil without TLS.
func (s *Server) Certificate() *x509.Certificate { return s.ts.Certificate() }

// Close ends every watch stream and stops the server. It is safe to call
// more than once; New registers it with t.Cleanup.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		close(s.stopping)
		s.ts.Close()
	})
}

// Register serves a further resource. Register panics if gvr is already
// served.
func (s *Server) Register(gvr schema.GroupVersionResource, kind string, namespaced bool, opts ...ResourceOption) {
	s.reg.add(gvr, kind, namespaced, opts...)
}

// Requests returns the requests received so far, oldest first.
func (s *Server) Requests() []Request {
	s.reqMu.Lock()
	defer s.reqMu.Unlock()
	return append([]Request(nil), s.requests...)
}

// ResetRequests forgets the recorded requests.
func (s *Server) ResetRequests() {
	s.reqMu.Lock()
	defer s.reqMu.Unlock()
	s.requests = nil
}

func (s *Server) record(req Request) int {
	s.reqMu.Lock()
	defer s.reqMu.Unlock()
	s.requests = append(s.requests, req)
	return len(s.requests) - 1
}

func (s *Server) recordDeleteOptions(idx int, opts *metav1.DeleteOptions) {
	s.reqMu.Lock()
	defer s.reqMu.Unlock()
	if idx < len(s.requests) {
		s.requests[idx].DeleteOptions = opts
	}
}

// ServeHTTP answers one request: record, authenticate, inject faults, limit
// the body, then serve the API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, tooLarge, err := readBody(r, s.cfg.maxBodyBytes)
	if err != nil {
		writeError(w, apierrors.NewBadRequest(err.Error()))
		return
	}
	path, served := s.apiPath(r.URL.Path)
	user, authenticated := s.auth.authenticate(r)
	idx := s.record(Request{
		Method:   r.Method,
		Path:     path,
		RawQuery: r.URL.RawQuery,
		Header:   r.Header.Clone(),
		User:     user,
		Body:     body,
	})
	w.Header().Set("Audit-Id", newUID())
	w.Header().Set("Cache-Control", "no-cache, private")
	if s.auth.required() && !authenticated {
		writeError(w, apierrors.NewUnauthorized("Unauthorized"))
		return
	}
	if err := s.faults.take(); err != nil {
		writeError(w, err)
		return
	}
	if tooLarge {
		writeError(w, apierrors.NewRequestEntityTooLargeError("limit is "+strconv.FormatInt(s.cfg.maxBodyBytes, 10)))
		return
	}
	if !served {
		http.NotFound(w, r)
		return
	}
	s.route(&call{w: w, r: r, body: body, idx: idx}, path)
}

// apiPath strips the path prefix; served is false for paths outside it.
func (s *Server) apiPath(p string) (path string, served bool) {
	if s.cfg.prefix == "" {
		return p, true
	}
	rest, ok := strings.CutPrefix(p, s.cfg.prefix)
	if !ok || (rest != "" && !strings.HasPrefix(rest, "/")) {
		return p, false
	}
	if rest == "" {
		rest = "/"
	}
	return rest, true
}

// readBody reads at most limit bytes of the body; tooLarge says there was
// more.
func readBody(r *http.Request, limit int64) (body []byte, tooLarge bool, err error) {
	if r.Body == nil {
		return nil, false, nil
	}
	var buf bytes.Buffer
	n, err := io.Copy(&buf, io.LimitReader(r.Body, limit+1))
	if err != nil {
		return nil, false, err
	}
	if n > limit {
		return buf.Bytes()[:limit], true, nil
	}
	return buf.Bytes(), false, nil
}
