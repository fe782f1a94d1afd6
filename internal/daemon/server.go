package daemon

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"go.uber.org/zap"
)

// DefaultShutdownTimeout bounds how long a Server waits for requests in
// flight once its context ends; then it closes their connections.
const DefaultShutdownTimeout = 10 * time.Second

// Server serves HTTP, or HTTPS when it has a TLS config, until its context
// ends. Call Listen first to bind (and learn Addr, e.g. with port 0) before
// Run; Run binds itself if Listen was not called.
type Server struct {
	// ShutdownTimeout bounds the graceful shutdown; zero means
	// DefaultShutdownTimeout.
	ShutdownTimeout time.Duration

	name   string
	addr   string
	tls    bool // srv.TLSConfig is not read after Run starts: net/http fills it in
	logger *zap.Logger
	srv    *http.Server

	mu sync.Mutex
	ln net.Listener
}

// NewServer returns a server named name (for logs and errors) that will
// listen on addr (host:port; port 0 picks a free port) and serve handler,
// over TLS when tlsConfig is not nil. A nil logger logs nothing.
func NewServer(logger *zap.Logger, name, addr string, handler http.Handler, tlsConfig *tls.Config) *Server {
	if logger == nil {
		logger = zap.NewNop()
	}
	logger = logger.With(zap.String("server", name))
	errorLog, _ := zap.NewStdLogAt(logger, zap.DebugLevel) // TLS handshake noise from probes
	return &Server{
		name:   name,
		addr:   addr,
		tls:    tlsConfig != nil,
		logger: logger,
		srv: &http.Server{
			Handler:           handler,
			TLSConfig:         tlsConfig,
			ReadHeaderTimeout: 32 * time.Second,
			IdleTimeout:       90 * time.Second,
			MaxHeaderBytes:    1 << 20,
			ErrorLog:          errorLog,
		},
	}
}

// Listen binds the server's address. It is idempotent.
func (s *Server) Listen() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln != nil {
		return nil
	}
	ln, err := net.Listen("tcp", s.addr)
	if err != nil {
		return fmt.Errorf("server %s: listen on %s: %w", s.name, s.addr, err)
	}
	s.ln = ln
	return nil
}

// Addr is the bound address, or nil before Listen.
func (s *Server) Addr() net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln == nil {
		return nil
	}
	return s.ln.Addr()
}

// URL is "https://host:port" or "http://host:port" for the bound address,
// or "" before Listen.
func (s *Server) URL() string {
	addr := s.Addr()
	if addr == nil {
		return ""
	}
	scheme := "http"
	if s.tls {
		scheme = "https"
	}
	return scheme + "://" + addr.String()
}

// Run serves until ctx ends, then stops accepting connections and waits up
// to ShutdownTimeout for requests in flight; past that it closes their
// connections. It returns nil after a shutdown, or the error that stopped
// serving.
func (s *Server) Run(ctx context.Context) error {
	if err := s.Listen(); err != nil {
		return err
	}
	s.mu.Lock()
	ln := s.ln
	s.mu.Unlock()

	served := make(chan error, 1)
	go func() {
		if s.tls {
			served <- s.srv.ServeTLS(ln, "", "")
		} else {
			served <- s.srv.Serve(ln)
		}
	}()
	s.logger.Info("serving", zap.String("address", ln.Addr().String()), zap.Bool("tls", s.tls))

	select {
	case err := <-served:
		return fmt.Errorf("server %s: %w", s.name, err)
	case <-ctx.Done():
	}

	timeout := s.ShutdownTimeout
	if timeout <= 0 {
		timeout = DefaultShutdownTimeout
	}
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), timeout)
	defer cancel()
	if err := s.srv.Shutdown(shutdownCtx); err != nil {
		s.logger.Warn("requests still in flight after the shutdown timeout; closing their connections",
			zap.Duration("timeout", timeout))
		_ = s.srv.Close()
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("server %s: %w", s.name, err)
	}
	s.logger.Info("stopped serving")
	return nil
}
