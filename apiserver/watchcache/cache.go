package watchcache

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/skiff-dev/skiff/apiserver/storage"
)

// Source is the storage a cache is fed from: one consistent list, then a
// watch from the list's revision. apiserver/storage satisfies it.
type Source interface {
	// List reads the objects under prefix; opts.ResourceVersion 0 is a
	// consistent read of the latest revision.
	List(ctx context.Context, prefix string, opts storage.ListOptions) (*storage.ListResult, error)
	// Watch sends the changes under prefix with a revision above fromRV, in
	// revision order, until ctx ends. A watch.Error event ends it (its Err
	// wraps storage.ErrExpired when fromRV is compacted); the channel may
	// also close without one when the connection drops. A watch.Bookmark
	// event (nil Object) reports progress: every change under prefix up to
	// its ResourceVersion has been sent.
	Watch(ctx context.Context, prefix string, fromRV int64) (<-chan storage.Event, error)
}

// Defaults, upstream's where upstream has them.
const (
	DefaultCapacity           = 100        // upstream's lower bound of the event ring
	DefaultMaxCapacity        = 100 * 1024 // upstream's upper bound
	DefaultEventFreshDuration = 75 * time.Second
	DefaultBookmarkInterval   = time.Minute
	DefaultWatchBuffer        = 100
	DefaultWaitTimeout        = 3 * time.Second // upstream's blockTimeout
)

// Config describes one resource's cache. The zero values of the optional
// fields take the defaults above.
type Config struct {
	// Resource names the resource in metrics and logs ("pods",
	// "deployments.apps").
	Resource string
	// KeyFunc returns an object's key, "namespace/name" or "name"; List and
	// Watch prefixes ("namespace/") are matched against it. Default: that.
	KeyFunc func(storage.Object) string
	// GetAttrs returns the fields field selectors match (labels always
	// come from metadata); it is called at most once per object version,
	// the first time a field selector looks at it. Default:
	// metadata.name and metadata.namespace.
	GetAttrs storage.AttrFunc
	// Capacity is the initial and smallest size of the event ring, and
	// MaxCapacity the largest it grows to while it would otherwise drop
	// events younger than EventFreshDuration. MaxCapacity at or below
	// Capacity fixes the size.
	Capacity           int
	MaxCapacity        int
	EventFreshDuration time.Duration
	// BookmarkInterval is how long a watcher that allows bookmarks may go
	// without an event before it gets a BOOKMARK.
	BookmarkInterval time.Duration
	// WatchBuffer is how many events a watcher may have waiting.
	WatchBuffer int
	// WaitTimeout bounds how long a read waits for the cache to reach the
	// resourceVersion it asks for.
	WaitTimeout time.Duration
	Clock       Clock
	Registerer  prometheus.Registerer
}

func (cfg Config) withDefaults() Config {
	if cfg.KeyFunc == nil {
		cfg.KeyFunc = NamespaceKey
	}
	if cfg.GetAttrs == nil {
		cfg.GetAttrs = MetaAttrs
	}
	if cfg.Capacity <= 0 {
		cfg.Capacity = DefaultCapacity
	}
	if cfg.MaxCapacity == 0 {
		cfg.MaxCapacity = DefaultMaxCapacity
	}
	cfg.MaxCapacity = max(cfg.MaxCapacity, cfg.Capacity)
	if cfg.EventFreshDuration <= 0 {
		cfg.EventFreshDuration = DefaultEventFreshDuration
	}
	if cfg.BookmarkInterval <= 0 {
		cfg.BookmarkInterval = DefaultBookmarkInterval
	}
	if cfg.WatchBuffer <= 0 {
		cfg.WatchBuffer = DefaultWatchBuffer
	}
	if cfg.WaitTimeout <= 0 {
		cfg.WaitTimeout = DefaultWaitTimeout
	}
	if cfg.Clock == nil {
		cfg.Clock = realClock{}
	}
	return cfg
}

// NamespaceKey is the default KeyFunc: "namespace/name", or "name" for a
// cluster-scoped object.
func NamespaceKey(obj storage.Object) string {
	if ns := obj.GetNamespace(); ns != "" {
		return ns + "/" + obj.GetName()
	}
	return obj.GetName()
}

// MetaAttrs is the default GetAttrs: the object's labels, and its
// metadata.name and metadata.namespace as fields.
func MetaAttrs(obj storage.Object) (labels.Set, fields.Set, error) {
	return labels.Set(obj.GetLabels()), fields.Set{
		"metadata.name":      obj.GetName(),
		"metadata.namespace": obj.GetNamespace(),
	}, nil
}

// Cache is one resource's watch cache. Run feeds it; List and Watch read it.
type Cache struct {
	logger  *zap.Logger
	src     Source
	prefix  string
	cfg     Config
	clock   Clock
	metrics *metrics
	running atomic.Bool

	mu          sync.RWMutex
	ready       bool // listed and following the watch
	initialized bool // listed at least once
	rev         int64
	store       store
	ring        *ring
	changed     chan struct{} // closed and replaced when rev or ready changes

	// incoming carries the changes from Run to the dispatcher, in order.
	incoming chan item

	wmu      sync.Mutex
	watchers atomic.Pointer[[]*Watcher] // replaced, never changed in place

	// Owned by the dispatcher goroutine.
	dispatchedRV int64 // every change up to it has been dispatched
	budget       budget
	blocked      []*Watcher
}

// New returns the cache of the objects under prefix in src (an etcd key
// prefix such as "/registry/pods/"). It serves nothing until Run has listed.
func New(logger *zap.Logger, src Source, prefix string, cfg Config) *Cache {
	if logger == nil {
		logger = zap.NewNop()
	}
	cfg = cfg.withDefaults()
	c := &Cache{
		logger:   logger.With(zap.String("resource", cfg.Resource)),
		src:      src,
		prefix:   prefix,
		cfg:      cfg,
		clock:    cfg.Clock,
		metrics:  newMetrics(cfg.Registerer, cfg.Resource),
		ring:     newRing(cfg.Capacity, cfg.MaxCapacity, cfg.EventFreshDuration),
		changed:  make(chan struct{}),
		incoming: make(chan item, 100),
		budget:   newBudget(cfg.Clock),
	}
	c.watchers.Store(&[]*Watcher{})
	c.metrics.capacity.Set(float64(cfg.Capacity))
	return c
}

// Ready says whether the cache serves reads: it has listed and is following
// its watch.
func (c *Cache) Ready() bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.ready
}

// WaitReady waits until the cache is ready or ctx ends.
func (c *Cache) WaitReady(ctx context.Context) error {
	for {
		c.mu.RLock()
		ready, changed := c.ready, c.changed
		c.mu.RUnlock()
		if ready {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// ResourceVersion returns the revision the cache has seen every change up to.
func (c *Cache) ResourceVersion() int64 {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.rev
}

// setRevLocked moves the cache to rev. Callers hold c.mu for writing.
func (c *Cache) setRevLocked(rev int64) {
	c.rev = rev
	c.notifyLocked()
}

// notifyLocked wakes everyone waiting for the revision or readiness to
// change. Callers hold c.mu for writing.
func (c *Cache) notifyLocked() {
	close(c.changed)
	c.changed = make(chan struct{})
}

// setReady marks the cache ready or not.
func (c *Cache) setReady(ready bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ready != ready {
		c.ready = ready
		c.notifyLocked()
	}
}

// rlockReady read-locks the cache if it is ready; it returns ErrNotReady,
// unlocked, if not.
func (c *Cache) rlockReady() error {
	c.mu.RLock()
	if !c.ready {
		c.mu.RUnlock()
		return ErrNotReady
	}
	return nil
}

// rlockFresh waits, at most WaitTimeout, until the cache has reached minRV,
// and returns with it read-locked. Otherwise it returns unlocked:
// ErrNotReady, a *TooLargeResourceVersionError, or ctx's error.
func (c *Cache) rlockFresh(ctx context.Context, minRV int64) error {
	if minRV <= 0 {
		return c.rlockReady()
	}
	start := c.clock.Now()
	defer func() { c.metrics.readWait.Observe(c.clock.Now().Sub(start).Seconds()) }()
	var timeout <-chan time.Time
	for {
		c.mu.RLock()
		if !c.ready {
			c.mu.RUnlock()
			return ErrNotReady
		}
		if c.rev >= minRV {
			return nil
		}
		rev, changed := c.rev, c.changed
		c.mu.RUnlock()
		if timeout == nil {
			timeout = c.clock.After(c.cfg.WaitTimeout)
		}
		select {
		case <-changed:
		case <-timeout:
			return &TooLargeResourceVersionError{Requested: minRV, Current: rev}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
