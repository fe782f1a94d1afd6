package workqueue

import "time"

// waitEntry is an item waiting in a DelayingQueue until readyAt.
type waitEntry[T comparable] struct {
	item    T
	readyAt time.Time
	seq     uint64 // breaks ties: equal deadlines leave in the order they were set
	index   int    // position in the heap, kept by Swap
}

// waitHeap is a container/heap of entries, earliest readyAt first.
type waitHeap[T comparable] []*waitEntry[T]

func (h waitHeap[T]) Len() int { return len(h) }

func (h waitHeap[T]) Less(i, j int) bool {
	if h[i].readyAt.Equal(h[j].readyAt) {
		return h[i].seq < h[j].seq
	}
	return h[i].readyAt.Before(h[j].readyAt)
}

func (h waitHeap[T]) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index = i
	h[j].index = j
}

func (h *waitHeap[T]) Push(x any) {
	e := x.(*waitEntry[T])
	e.index = len(*h)
	*h = append(*h, e)
}

func (h *waitHeap[T]) Pop() any {
	old := *h
	n := len(old)
	e := old[n-1]
	old[n-1] = nil
	e.index = -1
	*h = old[:n-1]
	return e
}
