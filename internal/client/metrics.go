package client

import (
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the rest_client_* series, named and labelled as upstream's
// client, shared by every Client of a process.
type Metrics struct {
	requests    *prometheus.CounterVec   // code, method, host
	latency     *prometheus.HistogramVec // verb, host
	retries     *prometheus.CounterVec   // code, verb, host
	rateLimiter *prometheus.HistogramVec // verb, host
}

var latencyBuckets = []float64{0.005, 0.025, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60}

// NewMetrics registers the client's series on reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "rest_client_requests_total",
			Help: "Number of HTTP requests, partitioned by status code, method, and host.",
		}, []string{"code", "method", "host"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "rest_client_request_duration_seconds",
			Help:    "Request latency in seconds. Broken down by verb, and host.",
			Buckets: latencyBuckets,
		}, []string{"verb", "host"}),
		retries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "rest_client_request_retries_total",
			Help: "Number of request retries, partitioned by status code, verb, and host.",
		}, []string{"code", "verb", "host"}),
		rateLimiter: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "rest_client_rate_limiter_duration_seconds",
			Help:    "Client side rate limiter latency in seconds. Broken down by verb, and host.",
			Buckets: latencyBuckets,
		}, []string{"verb", "host"}),
	}
	reg.MustRegister(m.requests, m.latency, m.retries, m.rateLimiter)
	return m
}

// codeLabel is the status code, or "<error>" when no response came, as
// upstream labels it.
func codeLabel(code int) string {
	if code == 0 {
		return "<error>"
	}
	return strconv.Itoa(code)
}

func (m *Metrics) observe(method, host string, code int, took time.Duration) {
	if m == nil {
		return
	}
	m.requests.WithLabelValues(codeLabel(code), method, host).Inc()
	m.latency.WithLabelValues(method, host).Observe(took.Seconds())
}

func (m *Metrics) retry(method, host string, code int) {
	if m == nil {
		return
	}
	m.retries.WithLabelValues(codeLabel(code), method, host).Inc()
}

func (m *Metrics) waited(method, host string, took time.Duration) {
	if m == nil {
		return
	}
	m.rateLimiter.WithLabelValues(method, host).Observe(took.Seconds())
}
