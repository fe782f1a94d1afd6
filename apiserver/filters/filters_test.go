package filters

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	dto "github.com/prometheus/client_model/go"
	"go.uber.org/zap/zaptest"
)

func TestMaxInFlightRefusesBeyondTheLimit(t *testing.T) {
	m := NewMetrics(prometheus.NewRegistry())
	release, entered := make(chan struct{}), make(chan struct{})
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("block") == "1" {
			close(entered)
			<-release
		}
		w.WriteHeader(http.StatusOK)
	})
	h := WithRequestInfo(WithMaxInFlight(1, 1, m, slow))
	done := make(chan struct{})
	go func() {
		defer close(done)
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/api/v1/namespaces/a/pods?block=1", nil))
	}()
	<-entered
	tests := []struct {
		method, url string
		code        int
	}{
		{"GET", "/api/v1/namespaces/a/pods", http.StatusTooManyRequests},      // the read-only slot is taken
		{"POST", "/api/v1/namespaces/a/pods", http.StatusOK},                  // mutating has its own
		{"GET", "/api/v1/namespaces/a/pods?watch=true", http.StatusOK},        // long-running: not counted
		{"GET", "/api/v1/namespaces/a/pods/p/log?follow=true", http.StatusOK}, // long-running: not counted
	}
	for _, tt := range tests {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.url, nil))
		if rec.Code != tt.code {
			t.Errorf("%s %s: %d, want %d", tt.method, tt.url, rec.Code, tt.code)
		}
		if tt.code == http.StatusTooManyRequests {
			if rec.Header().Get("Retry-After") != "1" || !strings.Contains(rec.Body.String(), `"reason":"TooManyRequests"`) {
				t.Errorf("429 answer: %v %s", rec.Header(), rec.Body)
			}
		}
	}
	close(release)
	<-done
	if got := testutil.ToFloat64(m.dropped.WithLabelValues("readOnly")); got != 1 {
		t.Errorf("apiserver_dropped_requests_total{readOnly} = %v", got)
	}
}

func TestMetricsLabelRequestsAsUpstream(t *testing.T) {
	m := NewMetrics(prometheus.NewRegistry())
	h := WithRequestInfo(WithMetrics(m, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusCreated)
	})))
	for _, req := range []*http.Request{
		httptest.NewRequest("GET", "/api/v1/namespaces/a/pods", nil),
		httptest.NewRequest("GET", "/apis/apps/v1/deployments", nil),
		httptest.NewRequest("POST", "/api/v1/namespaces/a/pods?dryRun=All&dryRun=All", nil),
		httptest.NewRequest("POST", "/api/v1/namespaces/a/configmaps", nil),
		httptest.NewRequest("DELETE", "/api/v1/namespaces/a/configmaps/c?dryRun=Some", nil),
		httptest.NewRequest("PATCH", "/api/v1/namespaces/a/pods/p/status", nil),
	} {
		if strings.HasSuffix(req.URL.Path, "/status") {
			req.Header.Set("Content-Type", "application/apply-patch+yaml")
		}
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
	for _, labels := range [][]string{
		{"LIST", "", "", "v1", "pods", "", "namespace", "apiserver", "201"},
		{"LIST", "", "apps", "v1", "deployments", "", "cluster", "apiserver", "201"},
		// A create is on one resource; repeated dryRun values count once.
		{"POST", "All", "", "v1", "pods", "", "resource", "apiserver", "201"},
		{"POST", "", "", "v1", "configmaps", "", "resource", "apiserver", "201"},
		{"DELETE", "invalid", "", "v1", "configmaps", "", "resource", "apiserver", "201"},
		{"APPLY", "", "", "v1", "pods", "status", "resource", "apiserver", "201"},
	} {
		if got := testutil.ToFloat64(m.requests.WithLabelValues(labels...)); got != 1 {
			t.Errorf("apiserver_request_total%v = %v", labels, got)
		}
		// The latency histograms have no code, the SLI one no dry_run.
		if got := sampleCount(t, m.duration.WithLabelValues(labels[:8]...)); got != 1 {
			t.Errorf("apiserver_request_duration_seconds%v has %d samples, want 1", labels[:8], got)
		}
		sli := append([]string{labels[0]}, labels[2:8]...)
		if got := sampleCount(t, m.sli.WithLabelValues(sli...)); got != 1 {
			t.Errorf("apiserver_request_sli_duration_seconds%v has %d samples, want 1", sli, got)
		}
	}
}

// sampleCount is how many observations histogram o holds.
func sampleCount(t *testing.T, o prometheus.Observer) uint64 {
	t.Helper()
	var m dto.Metric
	if err := o.(prometheus.Metric).Write(&m); err != nil {
		t.Fatal(err)
	}
	return m.GetHistogram().GetSampleCount()
}

func TestPanicsAnswer500(t *testing.T) {
	h := WithPanicRecovery(zaptest.NewLogger(t), http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/pods", nil))
	if rec.Code != http.StatusInternalServerError || !strings.Contains(rec.Body.String(), `"reason":"InternalError"`) {
		t.Errorf("panic answer: %d %s", rec.Code, rec.Body)
	}
}
