package admission

import (
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/skiff-dev/skiff/internal/metricvec"
)

// The step types of upstream's admission metrics.
const (
	stepAdmit    = "admit"
	stepValidate = "validate"
)

// Metrics are upstream's admission latency metrics. A nil *Metrics
// records nothing.
type Metrics struct {
	step        *prometheus.HistogramVec
	stepSummary *prometheus.SummaryVec
	controller  *prometheus.HistogramVec

	// Their children by labels, as observed on every request.
	stepBy       *metricvec.Children[stepLabels, [2]prometheus.Observer] // step, stepSummary
	controllerBy *metricvec.Children[controllerLabels, prometheus.Observer]
}

type stepLabels struct {
	step     string
	op       Operation
	rejected bool
}

type controllerLabels struct {
	name string
	stepLabels
}

// NewMetrics creates the metrics and registers them on reg (none when reg
// is nil).
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	buckets := []float64{0.005, 0.025, 0.1, 0.5, 1.0, 2.5}
	m := &Metrics{
		step: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: "apiserver", Subsystem: "admission",
			Name:    "step_admission_duration_seconds",
			Help:    "Admission sub-step latency histogram in seconds, broken out for each operation and API resource and step type (validate or admit).",
			Buckets: buckets,
		}, []string{"type", "operation", "rejected"}),
		stepSummary: prometheus.NewSummaryVec(prometheus.SummaryOpts{
			Namespace: "apiserver", Subsystem: "admission",
			Name:   "step_admission_duration_seconds_summary",
			Help:   "Admission sub-step latency summary in seconds, broken out for each operation and API resource and step type (validate or admit).",
			MaxAge: 5 * time.Hour,
		}, []string{"type", "operation", "rejected"}),
		controller: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: "apiserver", Subsystem: "admission",
			Name:    "controller_admission_duration_seconds",
			Help:    "Admission controller latency histogram in seconds, identified by name and broken out for each operation and API resource and type (validate or admit).",
			Buckets: buckets,
		}, []string{"name", "type", "operation", "rejected"}),
	}
	m.stepBy = metricvec.NewChildren(func(l stepLabels) [2]prometheus.Observer {
		labels := []string{l.step, string(l.op), strconv.FormatBool(l.rejected)}
		return [2]prometheus.Observer{m.step.WithLabelValues(labels...), m.stepSummary.WithLabelValues(labels...)}
	})
	m.controllerBy = metricvec.NewChildren(func(l controllerLabels) prometheus.Observer {
		return m.controller.WithLabelValues(l.name, l.step, string(l.op), strconv.FormatBool(l.rejected))
	})
	if reg != nil {
		for _, c := range []prometheus.Collector{m.step, m.stepSummary, m.controller} {
			if err := reg.Register(c); err != nil {
				return nil, err
			}
		}
	}
	return m, nil
}

func (m *Metrics) observeStep(step string, op Operation, rejected bool, d time.Duration) {
	if m == nil {
		return
	}
	o := m.stepBy.Get(stepLabels{step, op, rejected})
	o[0].Observe(d.Seconds())
	o[1].Observe(d.Seconds())
}

func (m *Metrics) observeController(name, step string, op Operation, rejected bool, d time.Duration) {
	if m == nil {
		return
	}
	m.controllerBy.Get(controllerLabels{name, stepLabels{step, op, rejected}}).Observe(d.Seconds())
}
