package workqueue

// fifo is a growable ring buffer of items, so that a queue whose length
// stays bounded allocates nothing once warmed up.
type fifo[T any] struct {
	buf  []T // len(buf) is zero or a power of two
	head int
	n    int
}

const fifoMinSize = 16

func (f *fifo[T]) len() int { return f.n }

func (f *fifo[T]) push(item T) {
	if f.n == len(f.buf) {
		f.resize(max(2*len(f.buf), fifoMinSize))
	}
	f.buf[(f.head+f.n)&(len(f.buf)-1)] = item
	f.n++
}

// pop removes and returns the oldest item. The fifo must not be empty.
func (f *fifo[T]) pop() T {
	var zero T
	item := f.buf[f.head]
	f.buf[f.head] = zero
	f.head = (f.head + 1) & (len(f.buf) - 1)
	f.n--
	// Give memory back after a burst.
	if len(f.buf) > 4*fifoMinSize && f.n < len(f.buf)/4 {
		f.resize(len(f.buf) / 2)
	}
	return item
}

func (f *fifo[T]) resize(size int) {
	buf := make([]T, size)
	for i := 0; i < f.n; i++ {
		buf[i] = f.buf[(f.head+i)&(len(f.buf)-1)]
	}
	f.buf, f.head = buf, 0
}
