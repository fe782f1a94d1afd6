package daemon

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// NewRegistry returns a registry holding the process collector
// (process_cpu_seconds_total, process_resident_memory_bytes,
// process_open_fds, process_start_time_seconds, …) and the Go runtime
// collector (go_goroutines, go_memstats_*, go_gc_duration_seconds, …). A
// binary passes it, as a prometheus.Registerer, to every component that has
// metrics, and serves it with MetricsHandler.
func NewRegistry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewGoCollector(),
	)
	return reg
}

// MetricsHandler serves reg in the Prometheus text (or negotiated) format,
// as /metrics. A failing collector is reported in
// promhttp_metric_handler_errors_total and the rest are still served.
func MetricsHandler(reg *prometheus.Registry) http.Handler {
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{
		Registry:      reg,
		ErrorHandling: promhttp.ContinueOnError,
	})
}
