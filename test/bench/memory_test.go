package bench

import "testing"

// BenchmarkAPIServerMemory: the apiserver's resident memory (VmRSS of
// /proc/<pid>/status) when ready and idle (rss-idle-MB), right after 16
// clients created 3,000 pods (rss-MB), and after the LIST scenario (100 +
// 100 LISTs of the 3,000 pods) and the watch fan-out (50 watchers, 200
// patches) ran on top (rss-after-list-watch-MB); hwm-MB is the peak
// (VmHWM) over the whole run, rss-file-MB the part of rss-MB that maps
// files (RssFile: the binary's code and data). MB here are MiB. ns/op is
// the whole run.
func BenchmarkAPIServerMemory(b *testing.B) {
	forEachServer(b, func(b *testing.B, k kind) {
		var idle, created, file, after, peak float64
		for range b.N {
			ctx := scenarioContext(b)
			s, clients := freshServer(ctx, b, k)
			b.StartTimer()
			m0 := mustMemory(b, s)
			if _, _, err := createPods(ctx, clients, podCount); err != nil {
				b.Fatalf("%s: %v", k, err)
			}
			m1 := mustMemory(b, s)
			heapProfile(ctx, b, s, "memory")
			if _, err := listTimes(ctx, clients[0], podCount, listRounds); err != nil {
				b.Fatalf("%s: %v", k, err)
			}
			if _, err := watchFanout(ctx, s, watchers, updates); err != nil {
				b.Fatalf("%s: %v", k, err)
			}
			m2 := mustMemory(b, s)
			b.StopTimer()
			s.stop()
			idle += mib(m0.rssKiB)
			created += mib(m1.rssKiB)
			file += mib(m1.fileKiB)
			after += mib(m2.rssKiB)
			peak += mib(m2.hwmKiB)
		}
		n := float64(b.N)
		b.ReportMetric(idle/n, "rss-idle-MB")
		b.ReportMetric(created/n, "rss-MB")
		b.ReportMetric(file/n, "rss-file-MB")
		b.ReportMetric(after/n, "rss-after-list-watch-MB")
		b.ReportMetric(peak/n, "hwm-MB")
	})
}

func mustMemory(b *testing.B, s *apiserver) memory {
	b.Helper()
	m, err := readMemory(s.pid())
	if err != nil {
		b.Fatalf("%s: %v", s.kind, err)
	}
	return m
}
