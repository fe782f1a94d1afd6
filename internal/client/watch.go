package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/watch"
)

var errNoName = errors.New("an object name is required")

// Watch streams the changes to the objects opts selects. The result channel
// closes when the server ends the stream, the connection drops, ctx ends or
// Stop is called. An ERROR event carries a *metav1.Status (a 410 one means
// the resourceVersion asked for is gone: list again).
func (r *Resource[T, PT]) Watch(ctx context.Context, opts metav1.ListOptions) (watch.Interface, error) {
	opts.Watch = true
	ctx, cancel := context.WithCancel(ctx)
	resp, err := r.c.do(ctx, r.request(http.MethodGet, "", listQuery(opts)))
	if err != nil {
		cancel()
		return nil, err
	}
	w := &streamWatcher[T, PT]{
		body:   resp.Body,
		cancel: cancel,
		result: make(chan watch.Event),
		done:   make(chan struct{}),
	}
	go w.receive()
	return w, nil
}

// streamWatcher decodes a watch response: one JSON event after another.
type streamWatcher[T any, PT Object[T]] struct {
	body   io.ReadCloser
	cancel context.CancelFunc
	result chan watch.Event
	done   chan struct{}
	once   sync.Once
}

func (w *streamWatcher[T, PT]) ResultChan() <-chan watch.Event { return w.result }

func (w *streamWatcher[T, PT]) Stop() {
	w.once.Do(func() {
		close(w.done)
		w.cancel()
	})
}

// wireEvent is metav1.WatchEvent with the object left raw until its type
// is known.
type wireEvent struct {
	Type   watch.EventType `json:"type"`
	Object json.RawMessage `json:"object"`
}

func (w *streamWatcher[T, PT]) receive() {
	defer close(w.result)
	defer w.body.Close()
	defer w.Stop()
	dec := json.NewDecoder(w.body)
	for {
		var ev wireEvent
		if err := dec.Decode(&ev); err != nil {
			// The stream ended or dropped; a syntax error mid-stream is a
			// broken connection as far as the caller can tell.
			return
		}
		out, err := decodeEvent[T, PT](ev)
		if err != nil {
			out = watch.Event{Type: watch.Error, Object: &metav1.Status{
				Status: metav1.StatusFailure, Code: http.StatusInternalServerError,
				Reason: metav1.StatusReasonInternalError, Message: err.Error(),
			}}
		}
		select {
		case w.result <- out:
		case <-w.done:
			return
		}
		if err != nil {
			return
		}
	}
}

func decodeEvent[T any, PT Object[T]](ev wireEvent) (watch.Event, error) {
	switch ev.Type {
	case watch.Added, watch.Modified, watch.Deleted, watch.Bookmark:
		obj := PT(new(T))
		if err := json.Unmarshal(ev.Object, obj); err != nil {
			return watch.Event{}, fmt.Errorf("decode %s watch event: %w", ev.Type, err)
		}
		return watch.Event{Type: ev.Type, Object: obj}, nil
	case watch.Error:
		status := &metav1.Status{}
		if err := json.Unmarshal(ev.Object, status); err != nil {
			return watch.Event{}, fmt.Errorf("decode ERROR watch event: %w", err)
		}
		return watch.Event{Type: watch.Error, Object: status}, nil
	default:
		return watch.Event{}, fmt.Errorf("unknown watch event type %q", ev.Type)
	}
}
