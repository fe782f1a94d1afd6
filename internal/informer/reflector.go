package informer

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync"
	"time"

	"go.uber.org/zap"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
)

const (
	defaultPageSize = 500
	// Watches ask the server to end them after a random time between
	// minWatchTimeout and twice that, so that clients started together do
	// not reconnect together.
	minWatchTimeout = 5 * time.Minute
	// A watch that ends sooner than this without a single event counts as a
	// failure, so that a server closing every watch at once cannot make the
	// reflector spin.
	shortWatch = time.Second
)

// Sink receives what a Reflector learns. *Indexer is one; the Informer has
// its own, which also tells the event handlers.
type Sink interface {
	Replace(items []Object, resourceVersion string) error
	Add(obj Object) error
	Update(obj Object) error
	Delete(obj Object) error
}

var errShortWatch = errors.New("watch closed at once without an event")

// Reflector keeps a Sink equal to one resource on the server: it lists,
// replaces the sink's contents, then watches from the list's
// resourceVersion and applies each event. It remembers the last
// resourceVersion it saw (bookmarks included) and resumes there when a watch
// ends; it lists again only when the server says that resourceVersion is too
// old (410 Gone or Expired). Failures are retried after a jittered
// exponential backoff.
type Reflector struct {
	logger   *zap.Logger
	lw       ListerWatcher
	sink     Sink
	expected expectedType
	clock    Clock
	pageSize int64
	backoff  *Backoff
	rand     func() float64

	mu     sync.Mutex
	lastRV string
}

// NewReflector returns a Reflector that fills sink from lw. The example
// object, if not nil, is the type every listed or watched object must have
// (its apiVersion and kind, for an *unstructured.Unstructured); others are
// logged and skipped.
func NewReflector(logger *zap.Logger, lw ListerWatcher, example Object, sink Sink, opts ...Option) *Reflector {
	if logger == nil {
		logger = zap.NewNop()
	}
	o := buildOptions(opts)
	expected := newExpectedType(example)
	return &Reflector{
		logger:   logger.Named("reflector").With(zap.String("type", expected.name)),
		lw:       lw,
		sink:     sink,
		expected: expected,
		clock:    o.clock,
		pageSize: o.pageSize,
		backoff:  NewBackoff(o.clock),
		rand:     rand.Float64,
	}
}

// LastSyncResourceVersion returns the resourceVersion of the last list,
// event or bookmark applied ("" before the first list).
func (r *Reflector) LastSyncResourceVersion() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.lastRV
}

func (r *Reflector) setLastRV(rv string) {
	if rv == "" {
		return
	}
	r.mu.Lock()
	r.lastRV = rv
	r.mu.Unlock()
}

// Run lists and watches until ctx ends; it always returns nil then.
func (r *Reflector) Run(ctx context.Context) error {
	needList := true
	for ctx.Err() == nil {
		if needList {
			if err := r.list(ctx); err != nil {
				if ctx.Err() != nil {
					break
				}
				r.logger.Warn("list failed; backing off", zap.Error(err))
				r.backoff.Wait(ctx)
				continue
			}
			needList = false
		}
		err := r.watch(ctx)
		switch {
		case ctx.Err() != nil:
		case err == nil:
			// The server ended the watch; resume where it stopped.
		case isExpired(err):
			r.logger.Info("resourceVersion too old; listing again", zap.Error(err))
			needList = true
		default:
			r.logger.Warn("watch failed; backing off", zap.Error(err))
			r.backoff.Wait(ctx)
		}
	}
	return nil
}

// isExpired says whether err means the resourceVersion asked for is gone
// from the server's history.
func isExpired(err error) bool {
	return apierrors.IsResourceExpired(err) || apierrors.IsGone(err)
}

// list reads the whole collection, page by page, and replaces the sink's
// contents with it.
func (r *Reflector) list(ctx context.Context) error {
	items, rv, err := r.listAll(ctx)
	if err != nil {
		return err
	}
	if err := r.sink.Replace(items, rv); err != nil {
		r.logger.Error("store refused part of the list", zap.String("resourceVersion", rv), zap.Error(err))
	}
	r.setLastRV(rv)
	r.logger.Debug("listed", zap.Int("objects", len(items)), zap.String("resourceVersion", rv))
	return nil
}
