package daemon

import (
	"context"
	"io"
	"net/http"
	"testing"

	"github.com/spf13/pflag"
)

func TestHTTPAddress(t *testing.T) {
	tests := []struct {
		value   string
		enabled bool
		wantErr bool
	}{
		{value: "", enabled: false},
		{value: "0.0.0.0:10256", enabled: true},
		{value: "127.0.0.1:10249", enabled: true},
		{value: "[::]:10256", enabled: true},
		{value: ":0", enabled: true},
		{value: "127.0.0.1", wantErr: true},
		{value: "localhost:10249", wantErr: true},
		{value: "127.0.0.1:99999", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			var a HTTPAddress = "127.0.0.1:1"
			fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
			fs.Var(&a, "metrics-bind-address", "")
			err := fs.Parse([]string{"--metrics-bind-address=" + tt.value})
			if tt.wantErr {
				if err == nil {
					t.Fatalf("accepted %q", tt.value)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(a) != tt.value || a.Enabled() != tt.enabled {
				t.Errorf("got %q enabled=%v", a, a.Enabled())
			}
		})
	}
	if got := JoinHTTPAddress("127.0.0.1", 10248); got != "127.0.0.1:10248" {
		t.Errorf("JoinHTTPAddress = %q", got)
	}
	if got := JoinHTTPAddress("::1", 10248); got != "[::1]:10248" {
		t.Errorf("JoinHTTPAddress = %q", got)
	}
}

func TestHTTPAddressServesPlainHTTP(t *testing.T) {
	if _, err := HTTPAddress("").NewServer(nil, "healthz", http.NotFoundHandler()); err == nil {
		t.Error("a server on the empty address")
	}
	h := NewHealth(nil)
	mux := http.NewServeMux()
	h.Install(mux)
	srv, err := HTTPAddress("127.0.0.1:0").NewServer(nil, "healthz", mux)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := runServer(t, ctx, srv)
	defer func() { cancel(); <-done }()
	resp, err := http.Get(srv.URL() + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "ok" {
		t.Errorf("/healthz: %d %q", resp.StatusCode, body)
	}
}
