package watchcache

import (
	"fmt"
	"sync"

	"k8s.io/apimachinery/pkg/watch"

	"github.com/skiff-dev/skiff/apiserver/storage"
)

// WatchEvent is what a Watcher delivers. Object is shared with every other
// watcher and the cache's store: never change it.
type WatchEvent struct {
	Type watch.EventType
	// Object is the state after the change; for DELETED the last state (at
	// the deletion's revision); nil for BOOKMARK.
	Object storage.Object
	// ResourceVersion is the revision of the change, or for a BOOKMARK the
	// revision the watcher has seen every change up to.
	ResourceVersion int64
	// InitialEventsEnd marks the BOOKMARK that ends the initial events of a
	// watch with SendInitialEvents (upstream's
	// "k8s.io/initial-events-end": "true" annotation).
	InitialEventsEnd bool

	cached *CachedObject // Object with its encodings; nil for BOOKMARK
}

// Encoded returns encode(e.Object), computed once per key for all the
// watchers that receive this object: key names the encoding (such as
// "application/json;v1"), and every caller passing the same key must pass an
// equivalent encode.
func (e WatchEvent) Encoded(key string, encode func(storage.Object) ([]byte, error)) ([]byte, error) {
	if e.cached != nil {
		return e.cached.Encoded(key, encode)
	}
	if e.Object == nil {
		return nil, fmt.Errorf("%s event at revision %d has no object", e.Type, e.ResourceVersion)
	}
	return encode(e.Object)
}

// CachedObject is an object with its serializations memoized, so that the
// bytes sent to a thousand watchers are produced once.
type CachedObject struct {
	obj storage.Object

	mu        sync.Mutex
	encodings []*encoding // a handful at most: one per wire format
}

type encoding struct {
	key  string
	once sync.Once
	data []byte
	err  error
}

// NewCachedObject wraps obj, which must not change afterwards.
func NewCachedObject(obj storage.Object) *CachedObject {
	return &CachedObject{obj: obj}
}

// Object returns the wrapped object; it is shared and must not be changed.
func (c *CachedObject) Object() storage.Object { return c.obj }

// Encoded returns encode(Object()), calling encode once per key however many
// goroutines ask at once. The bytes are shared: never change them.
func (c *CachedObject) Encoded(key string, encode func(storage.Object) ([]byte, error)) ([]byte, error) {
	c.mu.Lock()
	var enc *encoding
	for _, e := range c.encodings {
		if e.key == key {
			enc = e
			break
		}
	}
	if enc == nil {
		enc = &encoding{key: key}
		c.encodings = append(c.encodings, enc)
	}
	c.mu.Unlock()
	enc.once.Do(func() { enc.data, enc.err = encode(c.obj) })
	return enc.data, enc.err
}
