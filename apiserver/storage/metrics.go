package storage

import (
	"errors"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/skiff-dev/skiff/internal/metricvec"
)

// metrics are upstream's storage metrics (k8s.io/apiserver's
// storage/etcd3/metrics), with the resource prefix ("pods",
// "services/specs") as the type and resource label.
type metrics struct {
	duration      *prometheus.HistogramVec // etcd_request_duration_seconds{operation,type}
	requests      *prometheus.CounterVec   // etcd_requests_total{operation,type}
	requestErrors *prometheus.CounterVec   // etcd_request_errors_total{operation,type}
	bookmarks     *prometheus.GaugeVec     // etcd_bookmark_counts{resource}
	leaseObjects  prometheus.Histogram     // etcd_lease_object_counts
	events        *prometheus.CounterVec   // apiserver_storage_events_received_total{resource}
	decodeErrors  *prometheus.CounterVec   // apiserver_storage_decode_errors_total{resource}
	lists         *prometheus.CounterVec   // apiserver_storage_list_total{resource}
	listFetched   *prometheus.CounterVec   // apiserver_storage_list_fetched_objects_total{resource}
	listEvaluated *prometheus.CounterVec   // apiserver_storage_list_evaluated_objects_total{resource}
	listReturned  *prometheus.CounterVec   // apiserver_storage_list_returned_objects_total{resource}

	// The children of duration and requests, observed on every request.
	requestBy *metricvec.Children[requestLabels, requestChildren]
}

// requestLabels are the labels of etcd_request_duration_seconds and
// etcd_requests_total.
type requestLabels struct{ operation, resource string }

type requestChildren struct {
	duration prometheus.Observer
	requests prometheus.Counter
}

// newMetrics registers the metrics on reg (when not nil); a metric that reg
// already holds (a second Store on one registry) is shared. It returns the
// errors of metrics that could not be registered (they still count).
func newMetrics(reg prometheus.Registerer) (*metrics, []error) {
	r := &registrar{reg: reg}
	opType := []string{"operation", "type"}
	resource := []string{"resource"}
	counter := func(name, help string, labels []string) *prometheus.CounterVec {
		return register(r, prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, labels))
	}
	m := &metrics{
		duration: register(r, prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "etcd_request_duration_seconds",
			Help: "Etcd request latency in seconds for each operation and object type.",
			Buckets: []float64{0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.25, 1.5, 2, 3,
				4, 5, 6, 8, 10, 15, 20, 30, 45, 60},
		}, opType)),
		requests:      counter("etcd_requests_total", "Etcd request counts for each operation and object type.", opType),
		requestErrors: counter("etcd_request_errors_total", "Etcd failed request counts for each operation and object type.", opType),
		bookmarks: register(r, prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "etcd_bookmark_counts",
			Help: "Number of etcd bookmarks (progress notify events) split by kind.",
		}, resource)),
		leaseObjects: register(r, prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "etcd_lease_object_counts",
			Help:    "Number of objects attached to a single etcd lease.",
			Buckets: []float64{10, 50, 100, 500, 1000, 2500, 5000},
		})),
		events:        counter("apiserver_storage_events_received_total", "Number of etcd events received split by kind.", resource),
		decodeErrors:  counter("apiserver_storage_decode_errors_total", "Number of stored object decode errors split by object type", resource),
		lists:         counter("apiserver_storage_list_total", "Number of LIST requests served from storage", resource),
		listFetched:   counter("apiserver_storage_list_fetched_objects_total", "Number of objects read from storage in the course of serving a LIST request", resource),
		listEvaluated: counter("apiserver_storage_list_evaluated_objects_total", "Number of objects tested in the course of serving a LIST request from storage", resource),
		listReturned:  counter("apiserver_storage_list_returned_objects_total", "Number of objects returned for a LIST request from storage", resource),
	}
	m.requestBy = metricvec.NewChildren(func(l requestLabels) requestChildren {
		return requestChildren{m.duration.WithLabelValues(l.operation, l.resource), m.requests.WithLabelValues(l.operation, l.resource)}
	})
	return m, r.errs
}

// registrar registers metrics and keeps what went wrong.
type registrar struct {
	reg  prometheus.Registerer
	errs []error
}

// register adds c to reg, or returns the collector reg already has under
// c's name.
func register[C prometheus.Collector](r *registrar, c C) C {
	if r.reg == nil {
		return c
	}
	if err := r.reg.Register(c); err != nil {
		var are prometheus.AlreadyRegisteredError
		if errors.As(err, &are) {
			if existing, ok := are.ExistingCollector.(C); ok {
				return existing
			}
		}
		r.errs = append(r.errs, err)
	}
	return c
}

// request records one etcd request of operation for resource.
func (m *metrics) request(operation, resource string, start time.Time, err error) {
	c := m.requestBy.Get(requestLabels{operation, resource})
	c.duration.Observe(time.Since(start).Seconds())
	c.requests.Inc()
	if err != nil {
		m.requestErrors.WithLabelValues(operation, resource).Inc()
	}
}

// list records what one List read, tested and returned.
func (m *metrics) list(resource string, fetched, evaluated, returned int) {
	m.lists.WithLabelValues(resource).Inc()
	m.listFetched.WithLabelValues(resource).Add(float64(fetched))
	m.listEvaluated.WithLabelValues(resource).Add(float64(evaluated))
	m.listReturned.WithLabelValues(resource).Add(float64(returned))
}
