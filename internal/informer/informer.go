package informer

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"go.uber.org/zap"
)

// Informer keeps an indexed cache of one resource, filled by a Reflector,
// and tells any number of Handlers about every change. Create it with New,
// add handlers (before or after Run) and Run it once.
type Informer struct {
	logger    *zap.Logger
	indexer   *Indexer
	reflector *Reflector
	clock     Clock
	resync    time.Duration
	synced    atomic.Bool

	// mu orders every store write with the notifications it causes, so
	// each handler sees changes in the order the store saw them.
	mu            sync.Mutex
	listeners     []*listener
	started       bool
	stopped       bool
	runCtx        context.Context
	listenersDone sync.WaitGroup
	resyncChanged chan struct{}
}

// New returns an Informer over the resource lw lists and watches. example,
// if not nil, is the type of its objects (see NewReflector). resync is the
// default period at which handlers added with AddEventHandler are given
// every object again as OnUpdate(obj, obj); 0 means never. indexers are
// added to the store beside NamespaceIndex.
func New(logger *zap.Logger, lw ListerWatcher, example Object, resync time.Duration, indexers Indexers, opts ...Option) *Informer {
	if logger == nil {
		logger = zap.NewNop()
	}
	o := buildOptions(opts)
	i := &Informer{
		indexer:       NewIndexer(MetaNamespaceKeyFunc, indexers),
		clock:         o.clock,
		resync:        resync,
		resyncChanged: make(chan struct{}, 1),
	}
	i.reflector = NewReflector(logger, lw, example, sink{i}, opts...)
	i.logger = logger.Named("informer").With(zap.String("type", i.reflector.expected.name))
	return i
}

// GetIndexer returns the informer's store. Its objects must not be mutated.
func (i *Informer) GetIndexer() *Indexer { return i.indexer }

// GetStore is GetIndexer, under client-go's other name.
func (i *Informer) GetStore() *Indexer { return i.indexer }

// AddIndexers adds indices to the store, before or after Run.
func (i *Informer) AddIndexers(indexers Indexers) error { return i.indexer.AddIndexers(indexers) }

// HasSynced says whether the first list has been stored.
func (i *Informer) HasSynced() bool { return i.synced.Load() }

// LastSyncResourceVersion returns the resourceVersion the cache is at.
func (i *Informer) LastSyncResourceVersion() string { return i.reflector.LastSyncResourceVersion() }

// AddEventHandler registers h with the informer's default resync period.
// If the informer has listed already, h is first given the current contents
// as adds with isInInitialList true.
func (i *Informer) AddEventHandler(h Handler) (*Registration, error) {
	return i.AddEventHandlerWithResync(h, i.resync)
}

// AddEventHandlerWithResync registers h with its own resync period (0:
// never).
func (i *Informer) AddEventHandlerWithResync(h Handler, resync time.Duration) (*Registration, error) {
	i.mu.Lock()
	defer i.mu.Unlock()
	if i.stopped {
		return nil, fmt.Errorf("informer for %s has stopped: handler not added", i.reflector.expected.name)
	}
	l := newListener(h, resync)
	if resync > 0 {
		l.nextResync = i.clock.Now().Add(resync)
		select {
		case i.resyncChanged <- struct{}{}:
		default:
		}
	}
	if i.synced.Load() {
		for _, obj := range i.indexer.List() {
			l.push(notification{kind: notifyAdd, obj: obj, initial: true})
		}
	}
	i.listeners = append(i.listeners, l)
	if i.started {
		i.startListener(l)
	}
	return &Registration{inf: i, l: l}, nil
}

func (i *Informer) remove(l *listener) {
	i.mu.Lock()
	i.listeners = slices.DeleteFunc(i.listeners, func(x *listener) bool { return x == l })
	i.mu.Unlock()
	l.close()
}

// startListener runs l's delivery goroutine; i.mu is held.
func (i *Informer) startListener(l *listener) {
	i.listenersDone.Add(1)
	go func() {
		defer i.listenersDone.Done()
		l.run(i.runCtx)
	}()
}

// Run fills the cache and notifies the handlers until ctx ends. When it
// returns, no handler is being called or will be. It fails if the informer
// was run before.
func (i *Informer) Run(ctx context.Context) error {
	i.mu.Lock()
	if i.started {
		i.mu.Unlock()
		return errors.New("informer already run")
	}
	i.started = true
	i.runCtx = ctx
	for _, l := range i.listeners {
		i.startListener(l)
	}
	i.mu.Unlock()

	resyncDone := make(chan struct{})
	go func() {
		defer close(resyncDone)
		i.runResync(ctx)
	}()
	err := i.reflector.Run(ctx)
	<-resyncDone

	i.mu.Lock()
	i.stopped = true
	i.mu.Unlock()
	i.listenersDone.Wait()
	return err
}
