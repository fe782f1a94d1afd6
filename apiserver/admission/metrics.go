package admission

import (
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
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
	labels := []string{step, string(op), strconv.FormatBool(rejected)}
	m.step.WithLabelValues(labels...).Observe(d.Seconds())
	m.stepSummary.WithLabelValues(labels...).Observe(d.Seconds())
}

func (m *Metrics) observeController(name, step string, op Operation, rejected bool, d time.Duration) {
	if m == nil {
		return
	}
	m.controller.WithLabelValues(name, step, string(op), strconv.FormatBool(rejected)).Observe(d.Seconds())
}
