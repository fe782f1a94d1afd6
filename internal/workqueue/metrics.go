package workqueue

import (
	"errors"
	"fmt"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metric names, help and buckets are upstream's, so that dashboards and
// alerts written for Kubernetes read skiff's queues unchanged.
const metricsSubsystem = "workqueue"

// metricVecs are the workqueue metrics of one registry, shared by all the
// queues registered on it and told apart by the "name" label.
type metricVecs struct {
	depth          *prometheus.GaugeVec
	adds           *prometheus.CounterVec
	queueDuration  *prometheus.HistogramVec
	workDuration   *prometheus.HistogramVec
	unfinishedWork *prometheus.GaugeVec
	longestRunning *prometheus.GaugeVec
	retries        *prometheus.CounterVec
}

// registerVecs registers the workqueue metrics on r, or finds the ones a
// queue registered there before. It panics, as MustRegister does, if r
// holds different metrics under the same names: that is a programming
// error, like registering any metric twice.
func registerVecs(r prometheus.Registerer) *metricVecs {
	labels := []string{"name"}
	buckets := prometheus.ExponentialBuckets(10e-9, 10, 10)
	return &metricVecs{
		depth: register(r, prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Subsystem: metricsSubsystem, Name: "depth",
			Help: "Current depth of workqueue",
		}, labels)),
		adds: register(r, prometheus.NewCounterVec(prometheus.CounterOpts{
			Subsystem: metricsSubsystem, Name: "adds_total",
			Help: "Total number of adds handled by workqueue",
		}, labels)),
		queueDuration: register(r, prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Subsystem: metricsSubsystem, Name: "queue_duration_seconds",
			Help:    "How long in seconds an item stays in workqueue before being requested.",
			Buckets: buckets,
		}, labels)),
		workDuration: register(r, prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Subsystem: metricsSubsystem, Name: "work_duration_seconds",
			Help:    "How long in seconds processing an item from workqueue takes.",
			Buckets: buckets,
		}, labels)),
		unfinishedWork: register(r, prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Subsystem: metricsSubsystem, Name: "unfinished_work_seconds",
			Help: "How many seconds of work has done that is in progress and hasn't been observed by work_duration. " +
				"Large values indicate stuck threads. One can deduce the number of stuck threads by observing " +
				"the rate at which this increases.",
		}, labels)),
		longestRunning: register(r, prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Subsystem: metricsSubsystem, Name: "longest_running_processor_seconds",
			Help: "How many seconds has the longest running processor for workqueue been running.",
		}, labels)),
		retries: register(r, prometheus.NewCounterVec(prometheus.CounterOpts{
			Subsystem: metricsSubsystem, Name: "retries_total",
			Help: "Total number of retries handled by workqueue",
		}, labels)),
	}
}

// register registers c on r, or returns the identical collector already
// registered there.
func register[C prometheus.Collector](r prometheus.Registerer, c C) C {
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
	panic(fmt.Sprintf("workqueue: register metrics: %v", err))
}

// queueMetrics are one queue's series. Except for retries, its methods are
// called with the queue's lock held. A nil *queueMetrics records nothing.
type queueMetrics[T comparable] struct {
	clock          Clock
	depth          prometheus.Gauge
	adds           prometheus.Counter
	queueDuration  prometheus.Observer
	workDuration   prometheus.Observer
	unfinishedWork prometheus.Gauge
	longestRunning prometheus.Gauge
	retries        prometheus.Counter

	addTimes   map[T]time.Time // when each dirty item was added
	startTimes map[T]time.Time // when each processing item was handed out
}

// newQueueMetrics returns the series of the queue named o.name, or nil if
// the queue has no name or no registerer.
func newQueueMetrics[T comparable](o options) *queueMetrics[T] {
	if o.name == "" || o.registerer == nil {
		return nil
	}
	v := registerVecs(o.registerer)
	return &queueMetrics[T]{
		clock:          o.clock,
		depth:          v.depth.WithLabelValues(o.name),
		adds:           v.adds.WithLabelValues(o.name),
		queueDuration:  v.queueDuration.WithLabelValues(o.name),
		workDuration:   v.workDuration.WithLabelValues(o.name),
		unfinishedWork: v.unfinishedWork.WithLabelValues(o.name),
		longestRunning: v.longestRunning.WithLabelValues(o.name),
		retries:        v.retries.WithLabelValues(o.name),
		addTimes:       make(map[T]time.Time),
		startTimes:     make(map[T]time.Time),
	}
}

// add records an item becoming dirty. Like upstream, an item added while
// it is processed counts in depth although it is queued only at Done.
func (m *queueMetrics[T]) add(item T) {
	if m == nil {
		return
	}
	m.adds.Inc()
	m.depth.Inc()
	if _, ok := m.addTimes[item]; !ok {
		m.addTimes[item] = m.clock.Now()
	}
}

func (m *queueMetrics[T]) get(item T) {
	if m == nil {
		return
	}
	now := m.clock.Now()
	m.depth.Dec()
	m.startTimes[item] = now
	if added, ok := m.addTimes[item]; ok {
		m.queueDuration.Observe(now.Sub(added).Seconds())
		delete(m.addTimes, item)
	}
}

func (m *queueMetrics[T]) done(item T) {
	if m == nil {
		return
	}
	if started, ok := m.startTimes[item]; ok {
		m.workDuration.Observe(m.clock.Now().Sub(started).Seconds())
		delete(m.startTimes, item)
	}
}

func (m *queueMetrics[T]) retry() {
	if m == nil {
		return
	}
	m.retries.Inc()
}

// updateUnfinishedWork sets the in-progress gauges: the total and the
// longest time the items being processed have been processed so far.
func (m *queueMetrics[T]) updateUnfinishedWork() {
	if m == nil {
		return
	}
	now := m.clock.Now()
	var total, longest float64
	for _, started := range m.startTimes {
		s := now.Sub(started).Seconds()
		total += s
		longest = max(longest, s)
	}
	m.unfinishedWork.Set(total)
	m.longestRunning.Set(longest)
}
