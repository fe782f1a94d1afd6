package bench

import (
	"testing"
	"time"
)

// BenchmarkPodCreates: 16 clients create 3,000 small pods in one namespace
// as fast as they can. Reported: creates/s (pods over the wall time from the
// first create to the last response) and the p50/p99 latency of one create.
// Each iteration is one such run on a fresh etcd and apiserver; ns/op is
// its wall time. Also reported: the server's CPU time per create.
func BenchmarkPodCreates(b *testing.B) {
	forEachServer(b, func(b *testing.B, k kind) {
		var (
			all       latencies
			wall, cpu time.Duration
		)
		for range b.N {
			ctx := scenarioContext(b)
			s, clients := freshServer(ctx, b, k)
			wait := startProfile(ctx, b, s, "creates")
			before, err := readCPU(s.pid())
			if err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			l, w, err := createPods(ctx, clients, podCount)
			b.StopTimer()
			wait()
			if err != nil {
				b.Fatalf("%s: %v", k, err)
			}
			after, err := readCPU(s.pid())
			if err != nil {
				b.Fatal(err)
			}
			cpu += after - before
			s.stop()
			all, wall = append(all, l...), wall+w
		}
		b.ReportMetric(float64(len(all))/wall.Seconds(), "creates/s")
		b.ReportMetric(ms(all.quantile(0.50)), "p50-ms")
		b.ReportMetric(ms(all.quantile(0.99)), "p99-ms")
		// The server's CPU time per create: what the create rate costs,
		// steadier than the rate on a machine shared with others.
		b.ReportMetric(float64(cpu.Microseconds())/float64(len(all)), "server-cpu-us/create")
	})
}
