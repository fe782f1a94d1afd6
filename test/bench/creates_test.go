package bench

import (
	"testing"
	"time"
)

// BenchmarkPodCreates: 16 clients create 3,000 small pods in one namespace
// as fast as they can. Reported: creates/s (pods over the wall time from the
// first create to the last response) and the p50/p99 latency of one create.
// Each iteration is one such run on a fresh etcd and apiserver; ns/op is
// its wall time.
func BenchmarkPodCreates(b *testing.B) {
	forEachServer(b, func(b *testing.B, k kind) {
		var (
			all  latencies
			wall time.Duration
		)
		for range b.N {
			ctx := scenarioContext(b)
			s, clients := freshServer(ctx, b, k)
			b.StartTimer()
			l, w, err := createPods(ctx, clients, podCount)
			b.StopTimer()
			if err != nil {
				b.Fatalf("%s: %v", k, err)
			}
			s.stop()
			all, wall = append(all, l...), wall+w
		}
		b.ReportMetric(float64(len(all))/wall.Seconds(), "creates/s")
		b.ReportMetric(ms(all.quantile(0.50)), "p50-ms")
		b.ReportMetric(ms(all.quantile(0.99)), "p99-ms")
	})
}
