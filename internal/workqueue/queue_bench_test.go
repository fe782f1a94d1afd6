package workqueue

import (
	"fmt"
	"sync"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

// BenchmarkQueue measures Add+Get+Done round trips, from 1 and 8
// goroutines, without and with metrics.
func BenchmarkQueue(b *testing.B) {
	for _, metrics := range []bool{false, true} {
		for _, goroutines := range []int{1, 8} {
			b.Run(fmt.Sprintf("goroutines=%d/metrics=%v", goroutines, metrics), func(b *testing.B) {
				var opts []Option
				if metrics {
					opts = append(opts, WithName("bench"), WithRegisterer(prometheus.NewRegistry()))
				}
				benchmarkQueue(b, New[int](opts...), goroutines)
			})
		}
	}
}

func benchmarkQueue(b *testing.B, q *Queue[int], goroutines int) {
	defer q.ShutDown()
	per := b.N/goroutines + 1
	b.ReportAllocs()
	b.ResetTimer()
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range per {
				q.Add(g*per + i) // distinct items: nothing is de-duplicated
				item, _ := q.Get()
				q.Done(item)
			}
		}()
	}
	wg.Wait()
}
