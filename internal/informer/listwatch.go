package informer

import (
	"context"

	"github.com/skiff-dev/skiff/internal/client"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/watch"
)

// ResourceListerWatcher lists and watches through a typed client Resource,
// with Tweak (when set) narrowing every request: a label or field selector.
type ResourceListerWatcher[T any, PT client.Object[T]] struct {
	Resource *client.Resource[T, PT]
	Tweak    func(*metav1.ListOptions)
}

var _ ListerWatcher = (*ResourceListerWatcher[corev1.Pod, *corev1.Pod])(nil)

// ListWatch returns a ListerWatcher for r, narrowed by tweak (may be nil).
func ListWatch[T any, PT client.Object[T]](r *client.Resource[T, PT], tweak func(*metav1.ListOptions)) *ResourceListerWatcher[T, PT] {
	return &ResourceListerWatcher[T, PT]{Resource: r, Tweak: tweak}
}

// List reads one page.
func (lw *ResourceListerWatcher[T, PT]) List(ctx context.Context, opts metav1.ListOptions) ([]Object, metav1.ListMeta, error) {
	if lw.Tweak != nil {
		lw.Tweak(&opts)
	}
	l, err := lw.Resource.List(ctx, opts)
	if err != nil {
		return nil, metav1.ListMeta{}, err
	}
	items := make([]Object, len(l.Items))
	for i := range l.Items {
		items[i] = PT(&l.Items[i])
	}
	return items, l.ListMeta, nil
}

// Watch opens a watch.
func (lw *ResourceListerWatcher[T, PT]) Watch(ctx context.Context, opts metav1.ListOptions) (watch.Interface, error) {
	if lw.Tweak != nil {
		lw.Tweak(&opts)
	}
	return lw.Resource.Watch(ctx, opts)
}
