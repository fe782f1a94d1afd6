package informer

import (
	"context"
	"fmt"

	"go.uber.org/zap"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/watch"
)

// watch watches from the last resourceVersion until the watch ends (nil),
// fails (the error) or ctx ends (nil).
func (r *Reflector) watch(ctx context.Context) error {
	rv := r.LastSyncResourceVersion()
	timeout := int64(minWatchTimeout.Seconds() * (1 + r.rand()))
	w, err := r.lw.Watch(ctx, metav1.ListOptions{
		ResourceVersion:     rv,
		AllowWatchBookmarks: true,
		TimeoutSeconds:      &timeout,
	})
	if err != nil {
		return fmt.Errorf("watch %s from resourceVersion %q: %w", r.expected.name, rv, err)
	}
	defer w.Stop()
	start := r.clock.Now()
	events := 0
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-w.ResultChan():
			if !ok {
				if events == 0 && r.clock.Now().Sub(start) < shortWatch {
					return fmt.Errorf("watch %s from resourceVersion %q: %w", r.expected.name, rv, errShortWatch)
				}
				return nil
			}
			events++
			if err := r.apply(ev); err != nil {
				return fmt.Errorf("watch %s from resourceVersion %q: %w", r.expected.name, rv, err)
			}
		}
	}
}

// apply hands one event to the sink and records its resourceVersion. It
// returns the error an ERROR event carries.
func (r *Reflector) apply(ev watch.Event) error {
	if ev.Type == watch.Error {
		return apierrors.FromObject(ev.Object)
	}
	obj, ok := ev.Object.(Object)
	if !ok {
		r.logger.Error("watch event without an object", zap.String("event", string(ev.Type)), zap.String("got", fmt.Sprintf("%T", ev.Object)))
		return nil
	}
	var err error
	switch ev.Type {
	case watch.Bookmark:
	case watch.Added, watch.Modified, watch.Deleted:
		if err := r.expected.check(obj); err != nil {
			r.logger.Error("watch returned an object of the wrong type", zap.Error(err))
			break
		}
		switch ev.Type {
		case watch.Added:
			err = r.sink.Add(obj)
		case watch.Modified:
			err = r.sink.Update(obj)
		default:
			err = r.sink.Delete(obj)
		}
	default:
		r.logger.Error("unknown watch event type", zap.String("event", string(ev.Type)))
	}
	if err != nil {
		r.logger.Error("store refused an event", zap.String("event", string(ev.Type)), zap.Error(err))
	}
	r.setLastRV(obj.GetResourceVersion())
	return nil
}
