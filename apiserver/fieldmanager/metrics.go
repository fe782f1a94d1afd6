package fieldmanager

import "github.com/prometheus/client_golang/prometheus"

// Outcomes of the no-op timestamp check, upstream's code_path values.
const (
	outcomeUnequalFast = "unequal_objects_fast"
	outcomeUnequalSlow = "unequal_objects_slow"
	outcomeEqual       = "equal_objects"
	outcomeError       = "error"
)

// metrics are upstream's metrics of this part of the apiserver.
type metrics struct {
	// timestampComparison: apiserver_request_timestamp_comparison_time.
	timestampComparison *prometheus.HistogramVec
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		timestampComparison: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: "apiserver",
			Name:      "request_timestamp_comparison_time",
			Help:      "[ALPHA] Time taken for comparison of old vs new objects in UPDATE or PATCH requests",
			Buckets:   []float64{0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 5.0},
		}, []string{"code_path"}),
	}
	if reg != nil {
		if err := reg.Register(m.timestampComparison); err != nil {
			return nil, err
		}
	}
	return m, nil
}
