package daemon

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func newTestHealth(bad bool) *Health {
	h := NewHealth(nil)
	h.Add(Livez|Healthz, Check{Name: "log", Fn: func(*http.Request) error { return nil }})
	if bad {
		h.Add(AllEndpoints, Check{Name: "bad", Fn: func(*http.Request) error { return errors.New("this will fail") }})
	}
	h.Add(Readyz, Check{Name: "informer-sync", Fn: func(*http.Request) error { return nil }})
	return h
}

func TestHealthEndpoints(t *testing.T) {
	tests := []struct {
		name     string
		bad      bool
		shutdown bool
		path     string
		wantCode int
		wantBody string
	}{
		{name: "livez ok", path: "/livez", wantCode: 200, wantBody: "ok"},
		{name: "livez verbose", path: "/livez?verbose", wantCode: 200,
			wantBody: "[+]ping ok\n[+]log ok\nlivez check passed\n"},
		{name: "readyz verbose has shutdown and its own checks", path: "/readyz?verbose=1", wantCode: 200,
			wantBody: "[+]ping ok\n[+]shutdown ok\n[+]informer-sync ok\nreadyz check passed\n"},
		{name: "healthz verbose", path: "/healthz?verbose", wantCode: 200,
			wantBody: "[+]ping ok\n[+]log ok\nhealthz check passed\n"},
		{name: "failure lists checks, withholds the reason", bad: true, path: "/livez", wantCode: 500,
			wantBody: "[+]ping ok\n[+]log ok\n[-]bad failed: reason withheld\nlivez check failed\n"},
		{name: "failure is verbose anyway", bad: true, path: "/healthz?verbose", wantCode: 500,
			wantBody: "[+]ping ok\n[+]log ok\n[-]bad failed: reason withheld\nhealthz check failed\n"},
		{name: "exclude a failing check", bad: true, path: "/livez?exclude=bad", wantCode: 200, wantBody: "ok"},
		{name: "exclude, verbose", bad: true, path: "/livez?verbose&exclude=bad&exclude=log", wantCode: 200,
			wantBody: "[+]ping ok\n[+]log excluded: ok\n[+]bad excluded: ok\nlivez check passed\n"},
		{name: "exclude an unknown check", path: "/livez?verbose&exclude=nope", wantCode: 200,
			wantBody: "[+]ping ok\n[+]log ok\nwarn: some health checks cannot be excluded: no matches for \"nope\"\nlivez check passed\n"},
		{name: "one check ok", bad: true, path: "/livez/ping", wantCode: 200, wantBody: "ok"},
		{name: "one check failing shows its reason", bad: true, path: "/readyz/bad", wantCode: 500,
			wantBody: "internal server error: this will fail\n"},
		{name: "one unknown check", path: "/livez/nope", wantCode: 404},
		{name: "a readyz-only check is not on livez", path: "/livez/informer-sync", wantCode: 404},
		{name: "shutdown fails readyz", shutdown: true, path: "/readyz", wantCode: 500,
			wantBody: "[+]ping ok\n[-]shutdown failed: reason withheld\n[+]informer-sync ok\nreadyz check failed\n"},
		{name: "shutdown on its own", shutdown: true, path: "/readyz/shutdown", wantCode: 500,
			wantBody: "internal server error: process is shutting down\n"},
		{name: "shutdown leaves livez passing", shutdown: true, path: "/livez", wantCode: 200, wantBody: "ok"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newTestHealth(tt.bad)
			if tt.shutdown {
				h.BeginShutdown()
			}
			mux := http.NewServeMux()
			h.Install(mux)
			rec := httptest.NewRecorder()
			mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tt.path, nil))
			if rec.Code != tt.wantCode {
				t.Errorf("status %d, want %d", rec.Code, tt.wantCode)
			}
			body, _ := io.ReadAll(rec.Body)
			if tt.wantBody != "" && string(body) != tt.wantBody {
				t.Errorf("body\n%q\nwant\n%q", body, tt.wantBody)
			}
			if got := rec.Header().Get("Content-Type"); tt.wantCode != 404 && got != "text/plain; charset=utf-8" {
				t.Errorf("Content-Type %q", got)
			}
		})
	}
}

func TestHealthEvaluate(t *testing.T) {
	h := newTestHealth(false)
	r := httptest.NewRequest(http.MethodGet, "/livez", nil)
	if err := h.Evaluate(r, Livez); err != nil {
		t.Fatalf("Evaluate(livez) = %v", err)
	}
	h.Add(Livez, Check{Name: "deadlock", Fn: func(*http.Request) error { return errors.New("worker stuck") }})
	err := h.Evaluate(r, Livez)
	if err == nil || !strings.Contains(err.Error(), "deadlock: worker stuck") {
		t.Fatalf("Evaluate(livez) = %v, want the failing check and reason", err)
	}
	if err := h.Evaluate(r, Readyz); err != nil {
		t.Errorf("Evaluate(readyz) = %v, the livez-only failure leaked", err)
	}
}

func TestHealthAddPanics(t *testing.T) {
	tests := []struct {
		name  string
		on    Endpoints
		check Check
	}{
		{name: "duplicate on a shared endpoint", on: Readyz, check: Check{Name: "ping", Fn: func(*http.Request) error { return nil }}},
		{name: "no name", on: Livez, check: Check{Fn: func(*http.Request) error { return nil }}},
		{name: "no func", on: Livez, check: Check{Name: "x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("Add did not panic")
				}
			}()
			NewHealth(nil).Add(tt.on, tt.check)
		})
	}
	// The same name on disjoint endpoints is fine.
	h := NewHealth(nil)
	h.Add(Livez, Check{Name: "shutdown", Fn: func(*http.Request) error { return nil }})
}
