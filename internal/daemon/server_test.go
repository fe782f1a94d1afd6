package daemon

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// runServer binds srv, runs it in the background and returns the channel its
// Run result arrives on.
func runServer(t *testing.T, ctx context.Context, srv *Server) <-chan error {
	t.Helper()
	if err := srv.Listen(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx) }()
	return done
}

func TestServerPortZeroAndGracefulShutdown(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	mux := http.NewServeMux()
	mux.HandleFunc("/slow", func(w http.ResponseWriter, _ *http.Request) {
		close(entered)
		<-release
		io.WriteString(w, "done")
	})
	srv := NewServer(nil, "test", "127.0.0.1:0", mux, nil)
	if srv.Addr() != nil {
		t.Fatal("Addr() is set before Listen")
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := runServer(t, ctx, srv)
	if port := srv.Addr().(*net.TCPAddr).Port; port == 0 {
		t.Fatal("port 0 was not resolved to the bound port")
	}
	if !strings.HasPrefix(srv.URL(), "http://127.0.0.1:") {
		t.Errorf("URL() = %q", srv.URL())
	}

	type result struct {
		body string
		err  error
	}
	got := make(chan result, 1)
	go func() {
		resp, err := http.Get(srv.URL() + "/slow")
		if err != nil {
			got <- result{err: err}
			return
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		got <- result{body: string(b), err: err}
	}()
	<-entered
	cancel()
	select {
	case err := <-done:
		t.Fatalf("Run returned %v with a request in flight", err)
	default:
	}
	close(release)
	if r := <-got; r.err != nil || r.body != "done" {
		t.Errorf("in-flight request: %q, %v", r.body, r.err)
	}
	if err := <-done; err != nil {
		t.Errorf("Run() = %v", err)
	}
	if _, err := net.Dial("tcp", srv.Addr().String()); err == nil {
		t.Error("still accepting connections after Run returned")
	}
}

func TestServerShutdownIsBounded(t *testing.T) {
	entered := make(chan struct{})
	srv := NewServer(nil, "test", "127.0.0.1:0", http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		close(entered)
		<-r.Context().Done() // a request that only ends when its connection does, like a watch
	}), nil)
	srv.ShutdownTimeout = 20 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	done := runServer(t, ctx, srv)
	clientErr := make(chan error, 1)
	go func() {
		resp, err := http.Get(srv.URL())
		if err == nil {
			_, err = io.ReadAll(resp.Body)
			resp.Body.Close()
		}
		clientErr <- err
	}()
	<-entered
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run() = %v", err)
	}
	if err := <-clientErr; err == nil {
		t.Error("the hanging request completed; want its connection closed")
	}
}

func TestServerListenError(t *testing.T) {
	first := NewServer(nil, "first", "127.0.0.1:0", http.NotFoundHandler(), nil)
	if err := first.Listen(); err != nil {
		t.Fatal(err)
	}
	second := NewServer(nil, "second", first.Addr().String(), http.NotFoundHandler(), nil)
	err := second.Run(context.Background())
	if err == nil || !strings.Contains(err.Error(), "server second: listen") {
		t.Errorf("Run() on a taken port = %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := first.Run(ctx); err != nil {
		t.Errorf("Run() with a done context = %v", err)
	}
}
