package bench

import "testing"

// BenchmarkWatchFanout: 50 clients watch the namespace's pods; one client
// patches one pod's label 200 times in a row. Reported: p50/p99 delivery
// latency from each patch's response to each watcher receiving the event
// (watch-p50-ms, watch-p99-ms; 10,000 samples per run), how many of those
// deliveries beat the patch's response (early-deliveries per run, counted as
// 0 ms), the same deliveries timed from sending the patch
// (watch-send-p50-ms, watch-send-p99-ms) and the patches' own p50 latency
// (patch-p50-ms). ns/op is the time of the 200 patches.
func BenchmarkWatchFanout(b *testing.B) {
	forEachServer(b, func(b *testing.B, k kind) {
		var all fanout
		for range b.N {
			ctx := scenarioContext(b)
			s, _ := freshServer(ctx, b, k)
			wait := startProfile(ctx, b, s, "watch")
			b.StartTimer()
			f, err := watchFanout(ctx, s, watchers, updates)
			b.StopTimer()
			wait()
			if err != nil {
				b.Fatalf("%s: %v", k, err)
			}
			s.stop()
			all.delivery = append(all.delivery, f.delivery...)
			all.fromSend = append(all.fromSend, f.fromSend...)
			all.patch = append(all.patch, f.patch...)
			all.early += f.early
		}
		b.ReportMetric(ms(all.delivery.quantile(0.50)), "watch-p50-ms")
		b.ReportMetric(ms(all.delivery.quantile(0.99)), "watch-p99-ms")
		b.ReportMetric(ms(all.fromSend.quantile(0.50)), "watch-send-p50-ms")
		b.ReportMetric(ms(all.fromSend.quantile(0.99)), "watch-send-p99-ms")
		b.ReportMetric(ms(all.patch.quantile(0.50)), "patch-p50-ms")
		b.ReportMetric(float64(all.early)/float64(b.N), "early-deliveries")
	})
}
