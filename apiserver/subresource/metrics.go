package subresource

import (
	"github.com/prometheus/client_golang/prometheus"
)

// LogMetrics are upstream's pods/log metrics.
type LogMetrics struct {
	usage      *prometheus.CounterVec
	tlsFailure prometheus.Counter
}

// NewLogMetrics registers the pods/log metrics on reg (nil: a private
// registry).
func NewLogMetrics(reg prometheus.Registerer) (*LogMetrics, error) {
	m := &LogMetrics{
		usage: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "kube_apiserver", Subsystem: "pod_logs", Name: "insecure_backend_total",
			Help: "[ALPHA] Total number of requests for pods/logs sliced by usage type: enforce_tls, skip_tls_allowed, skip_tls_denied",
		}, []string{"usage"}),
		tlsFailure: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: "kube_apiserver", Subsystem: "pod_logs", Name: "backend_tls_failure_total",
			Help: "[ALPHA] Total number of requests for pods/logs that failed due to kubelet server TLS verification",
		}),
	}
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	for _, c := range []prometheus.Collector{m.usage, m.tlsFailure} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func (m *LogMetrics) countUsage(skipTLS bool) {
	if m == nil {
		return
	}
	usage := "enforce_tls"
	if skipTLS {
		usage = "skip_tls_allowed"
	}
	m.usage.WithLabelValues(usage).Inc()
}

func (m *LogMetrics) countTLSFailure() {
	if m != nil {
		m.tlsFailure.Inc()
	}
}
