package informer

import (
	"context"
	"sync"
	"time"

	"go.uber.org/zap"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// NewListerWatcherFunc builds the ListerWatcher for one resource; the
// client adapter supplies it, with whatever namespace or selectors the
// program watches.
type NewListerWatcherFunc func(resource schema.GroupVersionResource) ListerWatcher

// Factory shares one Informer per resource among the parts of a program, so
// that each resource is listed and watched once.
type Factory struct {
	logger *zap.Logger
	newLW  NewListerWatcherFunc
	resync time.Duration
	opts   []Option

	mu        sync.Mutex
	informers map[schema.GroupVersionResource]*Informer
	started   map[schema.GroupVersionResource]bool
	running   sync.WaitGroup
}

// NewFactory returns a Factory whose informers use newLW and the default
// resync period resync.
func NewFactory(logger *zap.Logger, newLW NewListerWatcherFunc, resync time.Duration, opts ...Option) *Factory {
	if logger == nil {
		logger = zap.NewNop()
	}
	return &Factory{
		logger:    logger,
		newLW:     newLW,
		resync:    resync,
		opts:      opts,
		informers: map[schema.GroupVersionResource]*Informer{},
		started:   map[schema.GroupVersionResource]bool{},
	}
}

// ForResource returns the resource's shared Informer, creating it on first
// use; example is its object type (see NewReflector) and is only used then.
func (f *Factory) ForResource(resource schema.GroupVersionResource, example Object) *Informer {
	f.mu.Lock()
	defer f.mu.Unlock()
	if inf, ok := f.informers[resource]; ok {
		return inf
	}
	inf := New(f.logger.With(zap.String("resource", resource.String())), f.newLW(resource), example, f.resync, nil, f.opts...)
	f.informers[resource] = inf
	return inf
}

// Start runs, until ctx ends, every informer not yet started. Call it again
// after asking for more informers.
func (f *Factory) Start(ctx context.Context) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for resource, inf := range f.informers {
		if f.started[resource] {
			continue
		}
		f.started[resource] = true
		f.running.Add(1)
		go func() {
			defer f.running.Done()
			if err := inf.Run(ctx); err != nil {
				f.logger.Error("informer stopped", zap.String("resource", resource.String()), zap.Error(err))
			}
		}()
	}
}

// WaitForCacheSync waits for every started informer's first list and says,
// per resource, whether it came before ctx ended.
func (f *Factory) WaitForCacheSync(ctx context.Context) map[schema.GroupVersionResource]bool {
	f.mu.Lock()
	started := map[schema.GroupVersionResource]*Informer{}
	for resource, inf := range f.informers {
		if f.started[resource] {
			started[resource] = inf
		}
	}
	f.mu.Unlock()
	out := make(map[schema.GroupVersionResource]bool, len(started))
	for resource, inf := range started {
		out[resource] = WaitForCacheSync(ctx, inf.HasSynced)
	}
	return out
}

// Wait returns once every started informer has stopped (after the context
// given to Start ends).
func (f *Factory) Wait() {
	f.running.Wait()
}
