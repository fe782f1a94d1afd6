package watchcache

import (
	"strconv"
	"strings"
	"sync"
	"time"

	"go.uber.org/zap"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/watch"

	"github.com/skiff-dev/skiff/apiserver/storage"
)

// event is one change kept in the ring and handed to the dispatcher.
type event struct {
	typ  watch.EventType // Added, Modified or Deleted, as storage reported it
	rev  int64
	cur  *entry    // the state after; for Deleted the last state
	prev *entry    // the state before; nil for a new key
	at   time.Time // when the cache received it (for sizing the ring)

	leftOnce sync.Once
	left     *CachedObject // prev at rev: the DELETED a selector's leaver gets
}

// leftObject returns the previous state with the event's resourceVersion,
// which upstream sends as the DELETED event to a watcher whose selector the
// object no longer matches. It is copied once, for all such watchers.
func (e *event) leftObject() *CachedObject {
	e.leftOnce.Do(func() {
		obj := e.prev.obj.Object()
		if cp, ok := obj.DeepCopyObject().(storage.Object); ok {
			cp.SetResourceVersion(strconv.FormatInt(e.rev, 10))
			obj = cp
		}
		e.left = NewCachedObject(obj)
	})
	return e.left
}

// filter is a watcher's or a list's selection: a key prefix and the label
// and field selectors, matched against the attributes each entry carries.
type filter struct {
	prefix     string
	label      labels.Selector // nil: any labels
	field      fields.Selector // nil: any fields
	everything bool            // no selector
	attrs      storage.AttrFunc
	logger     *zap.Logger
}

// newFilter is c's filter of prefix and pred.
func (c *Cache) newFilter(prefix string, pred storage.Predicate) filter {
	f := filter{prefix: prefix, attrs: c.cfg.GetAttrs, logger: c.logger}
	if pred.Label != nil && !pred.Label.Empty() {
		f.label = pred.Label
	}
	if pred.Field != nil && !pred.Field.Empty() {
		f.field = pred.Field
	}
	f.everything = f.label == nil && f.field == nil
	return f
}

// matches says whether the selectors select e; the prefix is the caller's.
func (f *filter) matches(e *entry) bool {
	if f.everything {
		return true
	}
	if f.label != nil && !f.label.Matches(e.labels()) {
		return false
	}
	if f.field == nil {
		return true
	}
	fs, ok := e.selectableFields(f.attrs, f.logger)
	return ok && f.field.Matches(fs)
}

// convert returns what a watcher with this filter sees of e, as upstream:
// an object entering the selection is ADDED, one leaving it is DELETED (its
// previous state at e's revision), one staying in it is MODIFIED; a change
// outside the selection is not seen (false).
func (f *filter) convert(e *event) (WatchEvent, bool) {
	if f.prefix != "" && !strings.HasPrefix(e.cur.key, f.prefix) {
		return WatchEvent{}, false
	}
	prevIn := e.prev != nil && f.matches(e.prev)
	if e.typ == watch.Deleted {
		if !prevIn {
			return WatchEvent{}, false
		}
		return WatchEvent{Type: watch.Deleted, Object: e.cur.obj.obj, ResourceVersion: e.rev, cached: e.cur.obj}, true
	}
	curIn := f.matches(e.cur)
	switch {
	case curIn && prevIn:
		return WatchEvent{Type: watch.Modified, Object: e.cur.obj.obj, ResourceVersion: e.rev, cached: e.cur.obj}, true
	case curIn:
		return WatchEvent{Type: watch.Added, Object: e.cur.obj.obj, ResourceVersion: e.rev, cached: e.cur.obj}, true
	case prevIn:
		left := e.leftObject()
		return WatchEvent{Type: watch.Deleted, Object: left.obj, ResourceVersion: e.rev, cached: left}, true
	}
	return WatchEvent{}, false
}
