package bench

import (
	"math"
	"slices"
	"sort"
	"time"
)

// latencies are measured request (or delivery) times.
type latencies []time.Duration

// quantile returns the q-quantile (0 < q ≤ 1) by the nearest-rank method:
// the smallest sample that at least q of the samples do not exceed. It is 0
// when there are no samples.
func (l latencies) quantile(q float64) time.Duration {
	if len(l) == 0 {
		return 0
	}
	s := append(latencies(nil), l...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	rank := int(math.Ceil(q * float64(len(s))))
	rank = min(max(rank, 1), len(s))
	return s[rank-1]
}

// mean is the arithmetic mean, 0 when there are no samples.
func (l latencies) mean() time.Duration {
	if len(l) == 0 {
		return 0
	}
	var sum time.Duration
	for _, d := range l {
		sum += d
	}
	return sum / time.Duration(len(l))
}

// ms converts a duration to fractional milliseconds, the unit of every
// latency figure.
func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// median is the middle value of xs (the mean of the two middle ones for an
// even count), 0 when there are none.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(xs))
	m := len(s) / 2
	if len(s)%2 == 1 {
		return s[m]
	}
	return (s[m-1] + s[m]) / 2
}
