package informer

import (
	"context"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"
)

// Object is what the informers hold: every k8s.io/api kind (as a pointer)
// and *unstructured.Unstructured satisfy it.
type Object interface {
	metav1.Object
	runtime.Object
}

// ListerWatcher lists and watches one resource, possibly narrowed by the
// label and field selectors, or the namespace, its implementation adds.
//
// Errors that come from the API server are *apierrors.StatusError (ask
// apierrors.IsResourceExpired, IsGone, IsTooManyRequests); any other error is
// a connection error. A watch's ERROR event carries a *metav1.Status; a
// BOOKMARK event carries an Object with only metadata.resourceVersion set.
// The watch's result channel closes when the server ends the stream, the
// connection drops or Stop is called.
type ListerWatcher interface {
	List(ctx context.Context, opts metav1.ListOptions) ([]Object, metav1.ListMeta, error)
	Watch(ctx context.Context, opts metav1.ListOptions) (watch.Interface, error)
}
