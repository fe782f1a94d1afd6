package workqueue

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

const (
	helpDepth      = "# HELP workqueue_depth Current depth of workqueue\n# TYPE workqueue_depth gauge\n"
	helpAdds       = "# HELP workqueue_adds_total Total number of adds handled by workqueue\n# TYPE workqueue_adds_total counter\n"
	helpRetries    = "# HELP workqueue_retries_total Total number of retries handled by workqueue\n# TYPE workqueue_retries_total counter\n"
	helpLongest    = "# HELP workqueue_longest_running_processor_seconds How many seconds has the longest running processor for workqueue been running.\n# TYPE workqueue_longest_running_processor_seconds gauge\n"
	helpUnfinished = "# HELP workqueue_unfinished_work_seconds How many seconds of work has done that is in progress and hasn't been observed by work_duration. Large values indicate stuck threads. One can deduce the number of stuck threads by observing the rate at which this increases.\n# TYPE workqueue_unfinished_work_seconds gauge\n"
)

// TestMetricsScripted runs a fixed sequence against a fake clock and
// compares every workqueue metric with what upstream's queue would show.
func TestMetricsScripted(t *testing.T) {
	ctx := testContext(t)
	reg := prometheus.NewPedanticRegistry()
	clock := NewFakeClock(t0)
	q := NewRateLimiting(NewExponentialFailureRateLimiter[string](time.Second, time.Minute),
		WithName("ctrl"), WithClock(clock), WithRegisterer(reg))
	t.Cleanup(q.ShutDown)

	get := func(want string) {
		t.Helper()
		if got := mustGet(t, q.Queue); got != want {
			t.Fatalf("Get() = %q, want %q", got, want)
		}
	}

	q.Add("a") // t0
	q.Add("b")
	q.Add("a") // already waiting: not an add
	clock.Step(2 * time.Second)
	get("a")   // waited 2s
	q.Add("a") // t0+2s while processing: counts in depth, queued at Done
	clock.Step(3 * time.Second)
	q.Done("a")           // worked 3s; requeued
	get("b")              // waited 5s
	get("a")              // waited 3s (since its second Add)
	q.AddRateLimited("c") // a retry; ready at t0+6s
	q.AddAfter("d", 0)    // a retry too, added at t0+5s
	clock.Step(4 * time.Second)
	// a and b have been processing for 4s each. The metrics loop refreshes
	// at t0+9s and then arms its next tick for t0+9.5s.
	if err := clock.WaitForTimer(ctx, t0.Add(9500*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	get("d") // waited 4s
	get("c") // waited 0s
	for _, item := range []string{"a", "b", "c", "d"} {
		q.Done(item) // worked 4s, 4s, 0s, 0s
	}

	histogram := func(name, help string, le1, count int, sum float64) string {
		var b strings.Builder
		b.WriteString("# HELP workqueue_" + name + " " + help + "\n# TYPE workqueue_" + name + " histogram\n")
		// Upstream's buckets, ExponentialBuckets(10e-9, 10, 10), float
		// rounding included: dashboards see exactly these le values.
		for _, le := range []string{"1e-08", "1e-07", "1e-06", "9.999999999999999e-06", "9.999999999999999e-05",
			"0.001", "0.01", "0.1", "1"} {
			b.WriteString(`workqueue_` + name + `_bucket{name="ctrl",le="` + le + `"} ` + itoa(le1) + "\n")
		}
		b.WriteString(`workqueue_` + name + `_bucket{name="ctrl",le="10"} ` + itoa(count) + "\n")
		b.WriteString(`workqueue_` + name + `_bucket{name="ctrl",le="+Inf"} ` + itoa(count) + "\n")
		b.WriteString(`workqueue_` + name + `_sum{name="ctrl"} ` + ftoa(sum) + "\n")
		b.WriteString(`workqueue_` + name + `_count{name="ctrl"} ` + itoa(count) + "\n")
		return b.String()
	}
	want := helpDepth + `workqueue_depth{name="ctrl"} 0` + "\n" +
		helpAdds + `workqueue_adds_total{name="ctrl"} 5` + "\n" +
		helpRetries + `workqueue_retries_total{name="ctrl"} 2` + "\n" +
		helpLongest + `workqueue_longest_running_processor_seconds{name="ctrl"} 4` + "\n" +
		helpUnfinished + `workqueue_unfinished_work_seconds{name="ctrl"} 8` + "\n" +
		histogram("queue_duration_seconds", "How long in seconds an item stays in workqueue before being requested.", 1, 5, 14) +
		histogram("work_duration_seconds", "How long in seconds processing an item from workqueue takes.", 2, 5, 11)
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want)); err != nil {
		t.Fatal(err)
	}
}

func itoa(n int) string     { return strconv.Itoa(n) }
func ftoa(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// TestMetricsTwoQueuesOneRegistry registers two queues, of different item
// types, on one registry: they share the vectors, one series each.
func TestMetricsTwoQueuesOneRegistry(t *testing.T) {
	reg := prometheus.NewPedanticRegistry()
	alpha := New[string](WithName("alpha"), WithRegisterer(reg))
	beta := NewRateLimiting[int](nil, WithName("beta"), WithRegisterer(reg))
	t.Cleanup(alpha.ShutDown)
	t.Cleanup(beta.ShutDown)

	alpha.Add("x")
	alpha.Add("y")
	beta.Add(1)
	beta.AddAfter(2, 0)

	want := helpDepth +
		`workqueue_depth{name="alpha"} 2` + "\n" +
		`workqueue_depth{name="beta"} 2` + "\n" +
		helpRetries +
		`workqueue_retries_total{name="alpha"} 0` + "\n" +
		`workqueue_retries_total{name="beta"} 1` + "\n"
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want),
		"workqueue_depth", "workqueue_retries_total"); err != nil {
		t.Fatal(err)
	}
	if n, err := testutil.GatherAndCount(reg); err != nil || n != 14 {
		t.Fatalf("GatherAndCount = %d, %v; want 7 metrics x 2 queues", n, err)
	}
}

func TestMetricsNeedNameAndRegisterer(t *testing.T) {
	tests := []struct {
		name string
		opts func(reg prometheus.Registerer) []Option
	}{
		{"no name", func(reg prometheus.Registerer) []Option { return []Option{WithRegisterer(reg)} }},
		{"no registerer", func(prometheus.Registerer) []Option { return []Option{WithName("q")} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := prometheus.NewPedanticRegistry()
			q := NewRateLimiting[string](nil, tt.opts(reg)...)
			t.Cleanup(q.ShutDown)
			q.Add("a")
			q.AddAfter("b", 0)
			mustGet(t, q.Queue)
			if n, err := testutil.GatherAndCount(reg); err != nil || n != 0 {
				t.Fatalf("GatherAndCount = %d, %v; want no metrics", n, err)
			}
		})
	}
}

func TestMetricsConflictingRegistrationPanics(t *testing.T) {
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(prometheus.NewCounter(prometheus.CounterOpts{Name: "workqueue_depth", Help: "not ours"}))
	defer func() {
		if recover() == nil {
			t.Fatal("New did not panic on a conflicting workqueue_depth")
		}
	}()
	New[string](WithName("q"), WithRegisterer(reg))
}
