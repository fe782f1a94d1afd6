package authentication

import (
	"strings"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/skiff-dev/skiff/internal/metricvec"
)

// Metrics are upstream's authentication metrics. A nil *Metrics records
// nothing.
type Metrics struct {
	userRequests     *prometheus.CounterVec
	attempts         *prometheus.CounterVec
	duration         *prometheus.HistogramVec
	clientCertExpiry prometheus.Histogram
	legacyTokens     prometheus.Counter
	staleTokens      prometheus.Counter
	validTokens      prometheus.Counter

	// Their children as observed on every request.
	userRequestsBy *metricvec.Children[string, prometheus.Counter] // by username
	attemptsBy     *metricvec.Children[string, attemptChildren]    // by result
}

type attemptChildren struct {
	attempts prometheus.Counter
	duration prometheus.Observer
}

// NewMetrics creates the metrics and registers them on reg (none when reg
// is nil).
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	m := &Metrics{
		userRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "authenticated_user_requests",
			Help: "Counter of authenticated requests broken out by username.",
		}, []string{"username"}),
		attempts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "authentication_attempts",
			Help: "Counter of authenticated attempts.",
		}, []string{"result"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "authentication_duration_seconds",
			Help:    "Authentication duration in seconds broken out by result.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2, 15),
		}, []string{"result"}),
		clientCertExpiry: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "apiserver_client_certificate_expiration_seconds",
			Help: "Distribution of the remaining lifetime on the certificate used to authenticate a request.",
			Buckets: []float64{0, 1800, 3600, 7200, 21600, 43200, 86400, 172800, 345600,
				604800, 2592000, 7776000, 15552000, 31104000},
		}),
		legacyTokens: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "serviceaccount_legacy_tokens_total",
			Help: "Cumulative legacy service account tokens used",
		}),
		staleTokens: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "serviceaccount_stale_tokens_total",
			Help: "Cumulative stale projected service account tokens used",
		}),
		validTokens: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "serviceaccount_valid_tokens_total",
			Help: "Cumulative valid projected service account tokens used",
		}),
	}
	m.userRequestsBy = metricvec.NewChildren(func(user string) prometheus.Counter { return m.userRequests.WithLabelValues(user) })
	m.attemptsBy = metricvec.NewChildren(func(result string) attemptChildren {
		return attemptChildren{m.attempts.WithLabelValues(result), m.duration.WithLabelValues(result)}
	})
	if reg != nil {
		for _, c := range []prometheus.Collector{m.userRequests, m.attempts, m.duration,
			m.clientCertExpiry, m.legacyTokens, m.staleTokens, m.validTokens} {
			if err := reg.Register(c); err != nil {
				return nil, err
			}
		}
	}
	return m, nil
}

func (m *Metrics) observeAttempt(result string, u *User, seconds float64) {
	if m == nil {
		return
	}
	if result == "success" && u != nil {
		m.userRequestsBy.Get(compressUsername(u.Name)).Inc()
	}
	c := m.attemptsBy.Get(result)
	c.attempts.Inc()
	c.duration.Observe(seconds)
}

func (m *Metrics) observeClientCert(remainingSeconds float64) {
	if m != nil {
		m.clientCertExpiry.Observe(remainingSeconds)
	}
}

type tokenCounter int

const (
	legacyTokens tokenCounter = iota
	staleTokens
	validTokens
)

func (m *Metrics) inc(c tokenCounter) {
	if m == nil {
		return
	}
	switch c {
	case legacyTokens:
		m.legacyTokens.Inc()
	case staleTokens:
		m.staleTokens.Inc()
	case validTokens:
		m.validTokens.Inc()
	}
}

// compressUsername keeps the username label's cardinality low, as upstream.
func compressUsername(name string) string {
	switch {
	case name == "admin" || name == "client" || name == "kube_proxy" || name == "kubelet" ||
		name == "system:serviceaccount:kube-system:default":
		return name
	case strings.Contains(name, "@"):
		return "email_id"
	default:
		return "other"
	}
}
