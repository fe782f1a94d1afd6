package storage

import (
	"context"
	"errors"
	"fmt"

	"go.etcd.io/etcd/api/v3/mvccpb"
	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"
	"k8s.io/apimachinery/pkg/watch"
)

// watchBuffer is how many events wait for a slow reader before the watch
// stops reading etcd.
const watchBuffer = 100

// Watch sends the changes of keys under prefix with a revision above fromRV
// (fromRV 0: from the current revision on), in revision order, until ctx
// ends; then it closes the channel. Progress notifications from etcd arrive
// as watch.Bookmark events with only ResourceVersion set. When fromRV has
// been compacted away it sends one watch.Error event (ErrExpired) and
// closes; so does any other failure of etcd's watch. A value that cannot be
// decoded is logged and skipped.
func (r *Resource) Watch(ctx context.Context, prefix string, fromRV int64) (<-chan Event, error) {
	keyPrefix, err := r.listPrefix(prefix)
	if err != nil {
		return nil, err
	}
	if fromRV < 0 {
		return nil, fmt.Errorf("key %q: negative resource version %d", keyPrefix, fromRV)
	}
	if fromRV == 0 {
		// Pin "now" before returning, so that no change made after Watch
		// returns can be missed.
		if fromRV, err = r.store.CurrentRevision(ctx); err != nil {
			return nil, err
		}
	}
	wctx, cancel := context.WithCancel(clientv3.WithRequireLeader(ctx))
	wch := r.store.client.Watch(wctx, keyPrefix,
		clientv3.WithRange(clientv3.GetPrefixRangeEnd(keyPrefix)), clientv3.WithRev(fromRV+1),
		clientv3.WithPrevKV(), clientv3.WithProgressNotify())
	out := make(chan Event, watchBuffer)
	w := &watcher{r: r, key: keyPrefix, out: out, logger: r.store.logger.With(zap.String("prefix", keyPrefix))}
	r.written.watching(+1)
	go func() {
		defer close(out)
		defer cancel()
		defer r.written.watching(-1)
		w.run(wctx, wch)
	}()
	return out, nil
}

// watcher turns one etcd watch into Events.
type watcher struct {
	r      *Resource
	key    string
	out    chan<- Event
	logger *zap.Logger
}

func (w *watcher) run(ctx context.Context, wch clientv3.WatchChan) {
	for resp := range wch {
		if err := resp.Err(); err != nil {
			if ctx.Err() == nil {
				w.send(ctx, Event{Type: watch.Error, Err: w.watchError(err)})
			}
			return
		}
		if resp.IsProgressNotify() {
			w.r.store.metrics.bookmarks.WithLabelValues(w.r.name).Inc()
			if !w.send(ctx, Event{Type: watch.Bookmark, ResourceVersion: resp.Header.Revision}) {
				return
			}
			continue
		}
		for _, ev := range resp.Events {
			w.r.store.metrics.events.WithLabelValues(w.r.name).Inc()
			e, err := w.event(ev)
			if err != nil {
				w.logger.Error("skipping a watch event", zap.Int64("revision", ev.Kv.ModRevision), zap.Error(err))
				continue
			}
			if !w.send(ctx, e) {
				return
			}
		}
	}
}

// send delivers e unless ctx ends first.
func (w *watcher) send(ctx context.Context, e Event) bool {
	select {
	case w.out <- e:
		return true
	case <-ctx.Done():
		return false
	}
}

func (w *watcher) watchError(err error) error {
	if errors.Is(err, rpctypes.ErrCompacted) {
		return fmt.Errorf("key %q: watch: %w", w.key, ErrExpired)
	}
	return fmt.Errorf("watch: %w", wrapEtcdError(w.key, err))
}

// event decodes one etcd event. A deletion's Object is the last state at
// the deletion's revision, decoded from the previous value etcd sends with
// it; the previous value of other events is not decoded.
func (w *watcher) event(ev *clientv3.Event) (Event, error) {
	key, rev := string(ev.Kv.Key), ev.Kv.ModRevision
	if ev.Type == mvccpb.DELETE {
		if ev.PrevKv == nil {
			return Event{}, fmt.Errorf("key %q: deletion at revision %d without the previous value", key, rev)
		}
		obj, err := w.r.decode(key, ev.PrevKv.Value, rev)
		if err != nil {
			return Event{}, err
		}
		return Event{Type: watch.Deleted, Object: obj, ResourceVersion: rev}, nil
	}
	obj, written := w.r.written.take(key, rev)
	if !written {
		var err error
		if obj, err = w.r.decode(key, ev.Kv.Value, rev); err != nil {
			return Event{}, err
		}
	}
	if ev.IsCreate() {
		return Event{Type: watch.Added, Object: obj, ResourceVersion: rev}, nil
	}
	return Event{Type: watch.Modified, Object: obj, ResourceVersion: rev}, nil
}
