package endpoints

import "github.com/prometheus/client_golang/prometheus"

// metrics are the watch series upstream's handlers export.
type metrics struct {
	watchEvents *prometheus.CounterVec   // group, version, kind
	eventSizes  *prometheus.HistogramVec // group, version, kind
}

// WithRegisterer registers the handler's metrics on reg.
func WithRegisterer(reg prometheus.Registerer) Option {
	return func(h *Handler) {
		m := &metrics{
			watchEvents: prometheus.NewCounterVec(prometheus.CounterOpts{
				Name: "apiserver_watch_events_total",
				Help: "Number of events sent in watch clients",
			}, []string{"group", "version", "kind"}),
			eventSizes: prometheus.NewHistogramVec(prometheus.HistogramOpts{
				Name:    "apiserver_watch_events_sizes",
				Help:    "Watch event size distribution in bytes",
				Buckets: prometheus.ExponentialBuckets(1024, 2, 8),
			}, []string{"group", "version", "kind"}),
		}
		reg.MustRegister(m.watchEvents, m.eventSizes)
		h.metrics = m
	}
}

func (m *metrics) sent(group, version, kind string, size int) {
	if m == nil {
		return
	}
	m.watchEvents.WithLabelValues(group, version, kind).Inc()
	m.eventSizes.WithLabelValues(group, version, kind).Observe(float64(size))
}
