package watchcache

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"go.uber.org/zap"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/watch"

	"github.com/skiff-dev/skiff/apiserver/storage"
)

// BenchmarkDispatch measures the dispatcher handing one change to N
// watchers (the consumers' side is left out: the benchmark empties the
// watchers' buffers with the timer stopped).
func BenchmarkDispatch(b *testing.B) {
	const buffer = 1000
	for _, n := range []int{1, 10, 100, 1000} {
		b.Run(fmt.Sprintf("watchers=%d", n), func(b *testing.B) {
			c := New(zap.NewNop(), newFakeSource(), "/registry/pods/", Config{GetAttrs: podAttrs, WatchBuffer: buffer})
			c.ready = true
			ws := make([]*Watcher, n)
			for i := range ws {
				w, err := c.Watch(context.Background(), 0, "", storage.Predicate{}, WatchOptions{})
				if err != nil {
					b.Fatal(err)
				}
				defer w.Stop()
				ws[i] = w
			}
			e := &event{typ: watch.Modified, cur: c.newEntry(pod("ns1", "a", "")), prev: c.newEntry(pod("ns1", "a", ""))}
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				if i%buffer == buffer-1 {
					b.StopTimer()
					for _, w := range ws {
						for len(w.result) > 0 {
							<-w.result
						}
					}
					b.StartTimer()
				}
				e.rev++
				c.dispatchEvent(e)
			}
			b.StopTimer()
			if v := len(c.loadWatchers()); v != n {
				b.Fatalf("%d watchers left, want %d", v, n)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/watcher")
		})
	}
}

// BenchmarkListFromCache lists 3,000 pods in 30 namespaces.
func BenchmarkListFromCache(b *testing.B) {
	c := New(zap.NewNop(), newFakeSource(), "/registry/pods/", Config{GetAttrs: podAttrs})
	var objs []storage.Object
	for i := range 3000 {
		p := pod(fmt.Sprintf("ns%02d", i%30), fmt.Sprintf("pod-%04d", i), "", fmt.Sprintf("app=a%d", i%10))
		p.ResourceVersion = fmt.Sprint(i + 1)
		objs = append(objs, p)
	}
	c.replace(context.Background(), objs, 3000)
	<-c.incoming
	sel, _ := labels.Parse("app=a3")
	for _, tt := range []struct {
		name   string
		prefix string
		pred   storage.Predicate
		want   int
	}{
		{"all", "", storage.Predicate{}, 3000},
		{"namespace", "ns07/", storage.Predicate{}, 100},
		{"label", "", storage.Predicate{Label: sel}, 300},
	} {
		b.Run(tt.name, func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				got, _, err := c.List(context.Background(), 0, tt.prefix, tt.pred)
				if err != nil || len(got) != tt.want {
					b.Fatalf("List = %d objects, %v; want %d", len(got), err, tt.want)
				}
			}
		})
	}
}

// BenchmarkWatchLatency runs the whole path (source watch → cache →
// dispatcher → watcher → consumer) for a burst of 200 updates to 50
// watchers on a fresh cache per iteration, and reports the 50th and 99th
// percentile of the time from a write to its delivery. (Bursts back to back
// would be a sustained overload, which the dispatch budget answers by
// closing watchers, as upstream's does.)
func BenchmarkWatchLatency(b *testing.B) {
	const watchers, updates = 50, 200
	var lat []time.Duration
	for range b.N {
		b.StopTimer()
		src := newFakeSource()
		src.put(pod("ns1", "a", ""))
		c := New(zap.NewNop(), src, "/registry/pods/", Config{GetAttrs: podAttrs})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- c.Run(ctx) }()
		if err := c.WaitReady(ctx); err != nil {
			b.Fatal(err)
		}
		from := src.revision()
		sent := make([]time.Time, updates)
		got := make([][]time.Time, watchers)
		var wg sync.WaitGroup
		for i := range watchers {
			w, err := c.Watch(ctx, from, "", storage.Predicate{}, WatchOptions{})
			if err != nil {
				b.Fatal(err)
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer w.Stop()
				for ev := range w.ResultChan() {
					got[i] = append(got[i], time.Now())
					if ev.ResourceVersion == from+updates {
						return
					}
				}
			}()
		}
		b.StartTimer()
		for j := range updates {
			sent[j] = time.Now()
			src.put(pod("ns1", "a", "", fmt.Sprintf("j=%d", j)))
		}
		wg.Wait()
		b.StopTimer()
		if n := testutil.ToFloat64(c.metrics.terminated); n > 0 {
			b.Fatalf("%v watchers were closed for not keeping up", n)
		}
		for _, g := range got {
			if len(g) != updates {
				b.Fatalf("a watcher got %d events, want %d", len(g), updates)
			}
			for j, at := range g {
				lat = append(lat, at.Sub(sent[j]))
			}
		}
		cancel()
		<-done
		b.StartTimer()
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}
