package workqueue

import "testing"

// TestFifo pushes and pops through growth, wrap-around and shrinking, and
// checks the order against a plain slice.
func TestFifo(t *testing.T) {
	tests := []struct {
		name   string
		rounds []int // push this many, then pop half of what is held
	}{
		{"small", []int{3, 3}},
		{"grows past the first buffer", []int{40}},
		{"wraps around", []int{10, 10, 10, 10, 10, 10}},
		{"bursts then shrinks", []int{1000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var f fifo[int]
			var want []int
			next := 0
			pop := func() {
				got := f.pop()
				if got != want[0] {
					t.Fatalf("pop() = %d, want %d", got, want[0])
				}
				want = want[1:]
			}
			for _, n := range tt.rounds {
				for range n {
					f.push(next)
					want = append(want, next)
					next++
				}
				for range (len(want) + 1) / 2 {
					pop()
				}
				if f.len() != len(want) {
					t.Fatalf("len() = %d, want %d", f.len(), len(want))
				}
			}
			for len(want) > 0 {
				pop()
			}
			if len(f.buf) > 4*fifoMinSize {
				t.Fatalf("buffer of %d kept after draining", len(f.buf))
			}
		})
	}
}
