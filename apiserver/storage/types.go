package storage

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"
)

// Object is what storage keeps: any k8s.io/api kind, as a pointer.
type Object interface {
	metav1.Object
	runtime.Object
}

// Codec turns objects into the bytes kept in etcd and back
// (scheme.Storage is the real one).
type Codec interface {
	Encode(obj runtime.Object) ([]byte, error)
	Decode(data []byte, into runtime.Object) error
}

// BufferEncoder is a Codec that can also encode into the memory of a buffer
// it is given (when large enough), sparing the allocation of a fresh one.
type BufferEncoder interface {
	EncodeInto(obj runtime.Object, buf []byte) ([]byte, error)
}

// AttrFunc returns the labels and the selectable fields of an object
// (metadata.name, metadata.namespace and the kind's own, such as
// spec.nodeName).
type AttrFunc func(obj Object) (labels.Set, fields.Set, error)

// Predicate selects objects by label and field. The zero Predicate (nil
// selectors) selects everything.
type Predicate struct {
	Label    labels.Selector
	Field    fields.Selector
	GetAttrs AttrFunc
}

// Empty says whether p selects everything.
func (p Predicate) Empty() bool {
	return (p.Label == nil || p.Label.Empty()) && (p.Field == nil || p.Field.Empty())
}

// Matches says whether obj is selected.
func (p Predicate) Matches(obj Object) (bool, error) {
	if p.Empty() {
		return true, nil
	}
	l, f, err := p.GetAttrs(obj)
	if err != nil {
		return false, err
	}
	if p.Label != nil && !p.Label.Matches(l) {
		return false, nil
	}
	if p.Field != nil && !p.Field.Matches(f) {
		return false, nil
	}
	return true, nil
}

// ListOptions narrow a List.
type ListOptions struct {
	// ResourceVersion 0 reads the latest revision (a consistent read);
	// otherwise the list is read at exactly that revision (ErrExpired once
	// it is compacted). A Continue token carries its own revision.
	ResourceVersion int64
	Limit           int64  // 0: no limit
	Continue        string // from a previous ListResult
	Predicate       Predicate
}

// ListResult is one page of a List.
type ListResult struct {
	Items           []Object
	ResourceVersion int64  // the revision the page was read at
	Continue        string // "" on the last page
	// RemainingItemCount estimates the items after this page when Limit was
	// set and no Predicate filtered them; nil otherwise.
	RemainingItemCount *int64
}

// Event is one change, in revision order. Object is the state after the
// change (for Deleted, the last state, at the deletion's revision). The
// state before a change is not decoded: a watcher that needs it keeps it
// (the watch cache does). Type is watch.Error with Err set when the watch
// cannot go on (ErrExpired after a compaction); no event follows an error.
type Event struct {
	Type            watch.EventType
	Object          Object
	ResourceVersion int64
	Err             error
}
