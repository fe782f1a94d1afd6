package bench

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// TestLeanClientSpeaksHTTP2 sends more bodies than the server's initial
// windows hold to Go's HTTP/2 server and checks each arrives whole with
// its headers, and that another status is an error.
func TestLeanClientSpeaksHTTP2(t *testing.T) {
	var created atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		switch {
		case err != nil || r.ProtoMajor != 2:
			http.Error(w, "bad request", http.StatusBadRequest)
		case r.Method == http.MethodPost && (r.Header.Get("Authorization") != "Bearer "+adminToken ||
			r.Header.Get("Content-Type") != string(protobufCodec) || !bytes.HasPrefix(body, []byte("pod-"))):
			http.Error(w, "unexpected request", http.StatusBadRequest)
		case r.Method == http.MethodPost:
			created.Add(1)
			w.WriteHeader(http.StatusCreated)
			_, _ = w.Write(body) // echoed: as big as the request
		case r.URL.Path == "/missing":
			http.NotFound(w, r)
		default:
			_, _ = w.Write([]byte("{}"))
		}
	}))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	defer srv.Close()
	ctx := context.Background()
	c, err := dialLean(ctx, srv.URL, protobufCodec)
	if err != nil {
		t.Fatal(err)
	}
	defer c.close()
	const n, size = 500, 1 << 10 // 500 KiB each way: past 64 KiB windows
	for i := range n {
		body := []byte("pod-" + strings.Repeat("x", size-4))
		if got, err := c.do("POST", "/api/v1/namespaces/bench/pods", body, http.StatusCreated); err != nil || got != size {
			t.Fatalf("create %d: %d bytes back, %v", i, got, err)
		}
	}
	if created.Load() != n {
		t.Fatalf("server saw %d creates, want %d", created.Load(), n)
	}
	if _, err := c.do("GET", "/missing", nil, http.StatusOK); err == nil || !strings.Contains(err.Error(), "status 404") {
		t.Fatalf("a 404 read as %v, want a status error", err)
	}
	if _, err := c.do("GET", "/api/v1/namespaces/bench", nil, http.StatusOK); err != nil {
		t.Fatalf("the connection after a 404: %v", err)
	}
}
