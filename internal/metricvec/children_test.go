package metricvec

import (
	"strings"
	"sync"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

type reqKey struct{ verb, resource, code string }

func newRequests() (*prometheus.CounterVec, *Children[reqKey, prometheus.Counter]) {
	vec := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "requests_total", Help: "Requests."},
		[]string{"verb", "resource", "code"})
	return vec, NewChildren(func(k reqKey) prometheus.Counter { return vec.WithLabelValues(k.verb, k.resource, k.code) })
}

// TestChildrenCountUnderTheirLabels checks that what is counted through
// the cache, from many goroutines at once, shows in the vector under the
// key's labels and nowhere else.
func TestChildrenCountUnderTheirLabels(t *testing.T) {
	vec, c := newRequests()
	keys := []reqKey{{"POST", "pods", "201"}, {"GET", "pods", "200"}, {"POST", "pods", "409"}}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 300 {
				c.Get(keys[(g+i)%len(keys)]).Inc()
			}
		}()
	}
	wg.Wait()
	want := `
# HELP requests_total Requests.
# TYPE requests_total counter
requests_total{code="200",resource="pods",verb="GET"} 800
requests_total{code="201",resource="pods",verb="POST"} 800
requests_total{code="409",resource="pods",verb="POST"} 800
`
	if err := testutil.CollectAndCompare(vec, strings.NewReader(want)); err != nil {
		t.Fatal(err)
	}
}

func TestChildrenAskTheVectorOncePerKey(t *testing.T) {
	asked := 0
	c := NewChildren(func(k string) int { asked++; return len(k) })
	for range 3 {
		if got := c.Get("abc"); got != 3 {
			t.Fatalf("Get(abc) = %d, want 3", got)
		}
	}
	if c.Get("de") != 2 || asked != 2 {
		t.Fatalf("the vector was asked %d times for 2 keys, want 2", asked)
	}
}

func BenchmarkChildren(b *testing.B) {
	vec, c := newRequests()
	k := reqKey{"POST", "pods", "201"}
	b.Run("vector", func(b *testing.B) {
		for range b.N {
			vec.WithLabelValues(k.verb, k.resource, k.code).Inc()
		}
	})
	b.Run("cached", func(b *testing.B) {
		for range b.N {
			c.Get(k).Inc()
		}
	})
}
