package filters

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/skiff-dev/skiff/apiserver/endpoints"
	"github.com/skiff-dev/skiff/internal/metricvec"
)

// Metrics are upstream's apiserver_request_* series.
type Metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	sli      *prometheus.HistogramVec
	current  *prometheus.GaugeVec
	dropped  *prometheus.CounterVec

	// The children of the three observed on every request, by their labels.
	requestsBy *metricvec.Children[requestLabels, prometheus.Counter]
	durationBy *metricvec.Children[requestLabels, prometheus.Observer]
	sliBy      *metricvec.Children[requestLabels, prometheus.Observer]
	currentBy  *metricvec.Children[string, prometheus.Gauge] // by request kind
}

// requestLabels are the labels of one request's series; the code is left
// empty for the latency histograms, and dryRun for the SLI one.
type requestLabels struct {
	verb, dryRun, group, version, resource, subresource, scope, code string
}

var durationBuckets = []float64{0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60}

// NewMetrics registers the request metrics on reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	labels := []string{"verb", "dry_run", "group", "version", "resource", "subresource", "scope", "component"}
	m := &Metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "apiserver_request_total",
			Help: "Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.",
		}, append(labels, "code")),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "apiserver_request_duration_seconds", Buckets: durationBuckets,
			Help: "Response latency distribution in seconds for each verb, dry run value, group, version, resource, subresource, scope and component.",
		}, labels),
		sli: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "apiserver_request_sli_duration_seconds", Buckets: durationBuckets,
			Help: "Response latency distribution (not counting webhook duration and priority & fairness queue wait times) in seconds for each verb, group, version, resource, subresource, scope and component.",
		}, []string{"verb", "group", "version", "resource", "subresource", "scope", "component"}),
		current: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "apiserver_current_inflight_requests",
			Help: "Maximal number of currently used inflight request limit of this apiserver per request kind in last second.",
		}, []string{"request_kind"}),
		dropped: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "apiserver_dropped_requests_total",
			Help: "Number of requests dropped with 'Try again later' response.",
		}, []string{"request_kind"}),
	}
	reg.MustRegister(m.requests, m.duration, m.sli, m.current, m.dropped)
	m.currentBy = metricvec.NewChildren(func(kind string) prometheus.Gauge { return m.current.WithLabelValues(kind) })
	m.requestsBy = metricvec.NewChildren(func(l requestLabels) prometheus.Counter {
		return m.requests.WithLabelValues(l.verb, l.dryRun, l.group, l.version, l.resource, l.subresource, l.scope, "apiserver", l.code)
	})
	m.durationBy = metricvec.NewChildren(func(l requestLabels) prometheus.Observer {
		return m.duration.WithLabelValues(l.verb, l.dryRun, l.group, l.version, l.resource, l.subresource, l.scope, "apiserver")
	})
	m.sliBy = metricvec.NewChildren(func(l requestLabels) prometheus.Observer {
		return m.sli.WithLabelValues(l.verb, l.group, l.version, l.resource, l.subresource, l.scope, "apiserver")
	})
	for _, kind := range []string{"readOnly", "mutating"} {
		m.current.WithLabelValues(kind)
	}
	return m
}

func (m *Metrics) inflight(kind string, d float64) {
	if m != nil {
		m.currentBy.Get(kind).Add(d)
	}
}

func (m *Metrics) rejected(kind string) {
	if m != nil {
		m.dropped.WithLabelValues(kind).Inc()
	}
}

// WithMetrics counts and times every resource request.
func WithMetrics(m *Metrics, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, code: http.StatusOK}
		next.ServeHTTP(rec, r)
		info, _ := endpoints.RequestInfoFrom(r.Context())
		if info == nil || !info.IsResourceRequest {
			return
		}
		took := time.Since(start).Seconds()
		l := requestLabels{verb: metricVerb(r, info), dryRun: metricDryRun(r), group: info.APIGroup, version: info.APIVersion,
			resource: info.Resource, subresource: info.Subresource, scope: metricScope(info), code: statusCode(rec.code)}
		m.requestsBy.Get(l).Inc()
		if l.verb == "WATCH" {
			return // long-running: no latency
		}
		l.code = ""
		m.durationBy.Get(l).Observe(took)
		l.dryRun = ""
		m.sliBy.Get(l).Observe(took)
	})
}

// metricVerb is upstream's verb label: LIST, WATCH, APPLY, else the method.
func metricVerb(r *http.Request, info *endpoints.RequestInfo) string {
	switch info.Verb {
	case "list":
		return "LIST"
	case "watch":
		return "WATCH"
	case "patch":
		if strings.HasPrefix(r.Header.Get("Content-Type"), "application/apply-patch") {
			return "APPLY"
		}
	}
	return strings.ToUpper(r.Method)
}

// metricDryRun is upstream's dry_run label: the request's dryRun values,
// sorted and without repeats ("All"); "" without any, and "invalid" for
// values the API refuses.
func metricDryRun(r *http.Request) string {
	if !strings.Contains(r.URL.RawQuery, "dryRun") {
		return ""
	}
	values := r.URL.Query()["dryRun"]
	for _, v := range values {
		if v != metav1.DryRunAll {
			return "invalid"
		}
	}
	values = slices.Compact(slices.Sorted(slices.Values(values)))
	return strings.Join(values, ",")
}

// metricScope is upstream's scope label: a create names the object it
// makes, so it counts as a request on one resource.
func metricScope(info *endpoints.RequestInfo) string {
	switch {
	case info.Name != "" || info.Verb == "create":
		return "resource"
	case info.Namespace != "":
		return "namespace"
	default:
		return "cluster"
	}
}

// statusRecorder remembers the status code written; it forwards Flush so
// watches still stream.
type statusRecorder struct {
	http.ResponseWriter
	code        int
	wroteHeader bool
}

func (s *statusRecorder) WriteHeader(code int) {
	if !s.wroteHeader {
		s.code, s.wroteHeader = code, true
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Flush() {
	if f, ok := s.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the real writer.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// statusCode is code in decimal, without allocating for the usual ones.
func statusCode(code int) string {
	switch code {
	case http.StatusOK:
		return "200"
	case http.StatusCreated:
		return "201"
	case http.StatusNotFound:
		return "404"
	case http.StatusConflict:
		return "409"
	}
	return strconv.Itoa(code)
}
