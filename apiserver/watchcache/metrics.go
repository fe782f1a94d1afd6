package watchcache

import (
	"errors"
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are one cache's series of upstream's watch cache metrics (v1.31
// names and labels), labelled with the resource.
type metrics struct {
	received         prometheus.Counter
	dispatched       prometheus.Counter
	terminated       prometheus.Counter
	initializations  prometheus.Counter
	resourceVersion  prometheus.Gauge
	capacity         prometheus.Gauge
	capacityIncrease prometheus.Counter
	capacityDecrease prometheus.Counter
	readWait         prometheus.Observer
}

// newMetrics registers the vectors on r (shared by every resource's cache)
// and returns resource's series; a nil r keeps them unregistered.
func newMetrics(r prometheus.Registerer, resource string) *metrics {
	counter := func(opts prometheus.CounterOpts) prometheus.Counter {
		return register(r, prometheus.NewCounterVec(opts, []string{"resource"})).WithLabelValues(resource)
	}
	gauge := func(opts prometheus.GaugeOpts) prometheus.Gauge {
		return register(r, prometheus.NewGaugeVec(opts, []string{"resource"})).WithLabelValues(resource)
	}
	return &metrics{
		received: counter(prometheus.CounterOpts{
			Namespace: "apiserver", Subsystem: "watch_cache", Name: "events_received_total",
			Help: "Counter of events received in watch cache broken by resource type.",
		}),
		dispatched: counter(prometheus.CounterOpts{
			Namespace: "apiserver", Subsystem: "watch_cache", Name: "events_dispatched_total",
			Help: "Counter of events dispatched in watch cache broken by resource type.",
		}),
		terminated: counter(prometheus.CounterOpts{
			Namespace: "apiserver", Name: "terminated_watchers_total",
			Help: "Counter of watchers closed due to unresponsiveness broken by resource type.",
		}),
		initializations: counter(prometheus.CounterOpts{
			Namespace: "apiserver", Subsystem: "watch_cache", Name: "initializations_total",
			Help: "Counter of watch cache initializations broken by resource type.",
		}),
		resourceVersion: gauge(prometheus.GaugeOpts{
			Namespace: "apiserver", Subsystem: "watch_cache", Name: "resource_version",
			Help: "Current resource version of watch cache broken by resource type.",
		}),
		capacity: gauge(prometheus.GaugeOpts{
			Subsystem: "watch_cache", Name: "capacity",
			Help: "Total capacity of watch cache broken by resource type.",
		}),
		capacityIncrease: counter(prometheus.CounterOpts{
			Subsystem: "watch_cache", Name: "capacity_increase_total",
			Help: "Total number of watch cache capacity increase events broken by resource type.",
		}),
		capacityDecrease: counter(prometheus.CounterOpts{
			Subsystem: "watch_cache", Name: "capacity_decrease_total",
			Help: "Total number of watch cache capacity decrease events broken by resource type.",
		}),
		readWait: register(r, prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: "apiserver", Subsystem: "watch_cache", Name: "read_wait_seconds",
			Help:    "Histogram of time spent waiting for a watch cache to become fresh.",
			Buckets: []float64{0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.25, 1.5, 2, 3},
		}, []string{"resource"})).WithLabelValues(resource),
	}
}

// resized records a change of the ring's capacity.
func (m *metrics) resized(before, after int) {
	if before == after {
		return
	}
	m.capacity.Set(float64(after))
	if after > before {
		m.capacityIncrease.Inc()
		return
	}
	m.capacityDecrease.Inc()
}

// register registers c on r, or returns the identical collector another
// cache registered there already. A nil r registers nothing.
func register[C prometheus.Collector](r prometheus.Registerer, c C) C {
	if r == nil {
		return c
	}
	err := r.Register(c)
	if err == nil {
		return c
	}
	var already prometheus.AlreadyRegisteredError
	if errors.As(err, &already) {
		if existing, ok := already.ExistingCollector.(C); ok {
			return existing
		}
	}
	panic(fmt.Sprintf("watchcache: register metrics: %v", err))
}
