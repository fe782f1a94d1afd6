package bench

import (
	"strings"
	"testing"
)

// BenchmarkPodList: with 3,000 pods in the namespace, one client makes 100
// full JSON LISTs with resourceVersion unset (consistent) and then 100 with
// resourceVersion "0", one at a time. Reported per kind: mean and p99
// latency (list-mean-ms, list-p99-ms, list-rv0-mean-ms, list-rv0-p99-ms).
// ns/op is the time of all 200 LISTs.
func BenchmarkPodList(b *testing.B) {
	forEachServer(b, func(b *testing.B, k kind) {
		all := map[string]latencies{}
		for range b.N {
			ctx := scenarioContext(b)
			s, clients := withPods(ctx, b, k)
			wait := startProfile(ctx, b, s, "list")
			b.StartTimer()
			times, err := listTimes(ctx, clients[0], podCount, listRounds)
			b.StopTimer()
			wait()
			if err != nil {
				b.Fatalf("%s: %v", k, err)
			}
			s.stop()
			for name, l := range times {
				all[name] = append(all[name], l...)
			}
		}
		for _, lk := range listKinds {
			b.ReportMetric(ms(all[lk.name].mean()), lk.name+"-mean-ms")
			b.ReportMetric(ms(all[lk.name].quantile(0.99)), lk.name+"-p99-ms")
		}
	})
}

func TestCheckList(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		wantErr string
	}{
		{"complete", `{"kind":"PodList","metadata":{"resourceVersion":"12"},"items":[{},{}]}`, ""},
		{"short", `{"kind":"PodList","metadata":{"resourceVersion":"12"},"items":[{}]}`, "has 1 pods, want 2"},
		{"wrong kind", `{"kind":"Status","metadata":{"resourceVersion":"12"},"items":[{},{}]}`, "list kind"},
		{"no resourceVersion", `{"kind":"PodList","metadata":{},"items":[{},{}]}`, "want a resourceVersion"},
		{"a page only", `{"kind":"PodList","metadata":{"resourceVersion":"12","continue":"x"},"items":[{},{}]}`, "no continue token"},
		{"not JSON", `<html>`, "decode pod list"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkList([]byte(tt.body), 2)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("checkList() = %v, want nil", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("checkList() = %v, want an error containing %q", err, tt.wantErr)
			}
		})
	}
}
