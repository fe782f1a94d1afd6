package bench

import (
	"testing"
	"time"
)

func TestQuantile(t *testing.T) {
	hundred := make(latencies, 100)
	for i := range hundred {
		hundred[len(hundred)-1-i] = time.Duration(i+1) * time.Millisecond // reversed: 100ms … 1ms
	}
	tests := []struct {
		name string
		l    latencies
		q    float64
		want time.Duration
	}{
		{"empty", nil, 0.99, 0},
		{"one sample", latencies{7}, 0.5, 7},
		{"median of odd count", latencies{3, 1, 2}, 0.5, 2},
		{"median of even count takes the lower", latencies{4, 1, 3, 2}, 0.5, 2},
		{"p99 of 100", hundred, 0.99, 99 * time.Millisecond},
		{"p50 of 100", hundred, 0.50, 50 * time.Millisecond},
		{"max", hundred, 1, 100 * time.Millisecond},
		{"tiny q takes the minimum", hundred, 0.0001, time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.l.quantile(tt.q); got != tt.want {
				t.Errorf("quantile(%v) = %v, want %v", tt.q, got, tt.want)
			}
		})
	}
	if hundred[0] != 100*time.Millisecond {
		t.Errorf("quantile reordered its receiver: first sample %v", hundred[0])
	}
}

func TestMean(t *testing.T) {
	tests := []struct {
		l    latencies
		want time.Duration
	}{
		{nil, 0},
		{latencies{5}, 5},
		{latencies{1, 2, 3, 6}, 3},
	}
	for _, tt := range tests {
		if got := tt.l.mean(); got != tt.want {
			t.Errorf("%v.mean() = %v, want %v", tt.l, got, tt.want)
		}
	}
}

func TestMs(t *testing.T) {
	if got := ms(1500 * time.Microsecond); got != 1.5 {
		t.Errorf("ms(1.5ms) = %v, want 1.5", got)
	}
}

func TestMedian(t *testing.T) {
	for _, c := range []struct {
		xs   []float64
		want float64
	}{{nil, 0}, {[]float64{3}, 3}, {[]float64{3, 1, 2}, 2}, {[]float64{4, 1, 3, 2}, 2.5}} {
		if got := median(c.xs); got != c.want {
			t.Errorf("median(%v) = %v, want %v", c.xs, got, c.want)
		}
	}
}
