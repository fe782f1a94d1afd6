package storage

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestHandoff(t *testing.T) {
	obj := func(name string) Object { return &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: name}} }
	var h handoff

	h.put("/a", 5, obj("a"))
	if _, ok := h.take("/a", 5); ok {
		t.Error("kept an object with no watch running")
	}

	h.watching(+1)
	a, b := obj("a"), obj("b")
	h.put("/a", 10, a)
	h.put("/b", 11, b)
	if got, ok := h.take("/b", 9); ok || got != nil {
		t.Errorf("take at another revision: %v", got)
	}
	if got, ok := h.take("/a", 10); !ok || got != a {
		t.Errorf("take /a@10: %v %v", got, ok)
	}
	if got, ok := h.take("/a", 11); ok || got != nil {
		t.Errorf("take of another key at 11: %v", got)
	}
	if _, ok := h.take("/b", 11); ok {
		t.Error("/b@11 outlived a delivered revision 11")
	}
	h.put("/c", 11, obj("c")) // the watch is past 11: not kept
	if len(h.pending) != 0 {
		t.Errorf("pending %v", h.pending)
	}

	for i := range maxHandoffs + 10 {
		h.put("/x", int64(100+i), obj("x"))
	}
	if len(h.pending) != maxHandoffs {
		t.Errorf("%d pending, want the bound %d", len(h.pending), maxHandoffs)
	}
	h.watching(-1)
	if len(h.pending) != 0 {
		t.Errorf("%d pending after the last watch ended", len(h.pending))
	}
}
