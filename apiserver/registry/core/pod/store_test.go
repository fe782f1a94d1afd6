package pod

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

// memBackend is an in-memory registry.Backend: enough of etcd for the
// store's create, update and delete paths.
type memBackend struct {
	mu   sync.Mutex
	rev  int64
	objs map[string]storage.Object
}

func newMemBackend() *memBackend { return &memBackend{objs: map[string]storage.Object{}} }

func (b *memBackend) Key(ns, name string) string { return "/registry/pods/" + ns + "/" + name }
func (b *memBackend) Prefix(ns string) string    { return "/registry/pods/" + ns }

func (b *memBackend) Get(_ context.Context, key string) (storage.Object, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	o, ok := b.objs[key]
	if !ok {
		return nil, storage.ErrNotFound
	}
	return o.DeepCopyObject().(storage.Object), nil
}

func (b *memBackend) Create(_ context.Context, key string, obj storage.Object, _ int64) (storage.Object, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.objs[key]; ok {
		return nil, storage.ErrAlreadyExists
	}
	return b.put(key, obj), nil
}

func (b *memBackend) put(key string, obj storage.Object) storage.Object {
	b.rev++
	obj.SetResourceVersion(strconv.FormatInt(b.rev, 10))
	b.objs[key] = obj.DeepCopyObject().(storage.Object)
	return obj
}

func (b *memBackend) GuaranteedUpdate(_ context.Context, key string, ignoreNotFound bool, try func(storage.Object) (storage.Object, error)) (storage.Object, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	cur, ok := b.objs[key]
	if !ok && !ignoreNotFound {
		return nil, storage.ErrNotFound
	}
	var in storage.Object
	if ok {
		in = cur.DeepCopyObject().(storage.Object)
	}
	out, err := try(in)
	if err != nil {
		return nil, err
	}
	return b.put(key, out), nil
}

func (b *memBackend) Delete(_ context.Context, key string, check func(storage.Object) error) (storage.Object, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	cur, ok := b.objs[key]
	if !ok {
		return nil, storage.ErrNotFound
	}
	if err := check(cur.DeepCopyObject().(storage.Object)); err != nil {
		return nil, err
	}
	delete(b.objs, key)
	return cur, nil
}

func (b *memBackend) List(context.Context, string, storage.ListOptions) (*storage.ListResult, error) {
	return &storage.ListResult{}, nil
}

func TestStoreLifecycle(t *testing.T) {
	ctx := context.Background()
	res := Resources()[0]
	backend := newMemBackend()
	store := registry.NewStore(res, backend, nil)
	body := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "web"}, Spec: corev1.PodSpec{
		ServiceAccountName: "default", Containers: []corev1.Container{{Name: "app", Image: "nginx"}}}}
	res.Strategy.Default(body)
	created, err := store.Create(ctx, "default", body, registry.WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	pod := created.(*corev1.Pod)
	if pod.Status.Phase != corev1.PodPending || pod.Spec.Containers[0].ImagePullPolicy != corev1.PullAlways || pod.Generation != 0 {
		t.Errorf("created %+v", pod)
	}

	bad := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "bad"}, Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "app"}}}}
	res.Strategy.Default(bad)
	_, err = store.Create(ctx, "default", bad, registry.WriteOptions{})
	if !apierrors.IsInvalid(err) || !strings.Contains(err.Error(), `Pod "bad" is invalid: spec.containers[0].image: Required value`) {
		t.Errorf("invalid pod: %v", err)
	}

	// The kubelet reports the pod running on its node.
	_, _, err = store.Update(ctx, "default", "web", "", func(_ context.Context, cur storage.Object) (storage.Object, error) {
		p := cur.DeepCopyObject().(*corev1.Pod)
		p.Spec.NodeName = "n1" // as pods/binding would
		return p, nil
	}, registry.WriteOptions{})
	if err == nil || !strings.Contains(err.Error(), "pod updates may not change fields other than") {
		t.Fatalf("nodeName through the main resource: %v", err)
	}
	backend.setNode("default/web", "n1")
	_, _, err = store.Update(ctx, "default", "web", "status", func(_ context.Context, cur storage.Object) (storage.Object, error) {
		p := cur.DeepCopyObject().(*corev1.Pod)
		p.Status.Phase = corev1.PodRunning
		p.Status.PodIP = "10.0.0.9"
		res.Strategy.Default(p)
		return p, nil
	}, registry.WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}

	// A bound, running pod is deleted gracefully: marked, and returned.
	out, err := store.Delete(ctx, "default", "web", nil, registry.WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	marked := out.(*corev1.Pod)
	if marked.DeletionTimestamp == nil || *marked.DeletionGracePeriodSeconds != 30 || marked.Status.PodIP != "10.0.0.9" {
		t.Errorf("graceful delete %+v", marked.ObjectMeta)
	}
	// The kubelet confirms with a zero grace period: gone.
	out, err = store.Delete(ctx, "default", "web", &metav1.DeleteOptions{GracePeriodSeconds: ptr[int64](0)}, registry.WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := out.(*corev1.Pod); !ok {
		t.Errorf("deleting a pod answers the pod, got %T", out)
	}
	if _, err := store.Get(ctx, "default", "web"); !apierrors.IsNotFound(err) {
		t.Errorf("pod still there: %v", err)
	}
}

// setNode binds a stored pod as pods/binding does, around the update
// rules.
func (b *memBackend) setNode(nsName, node string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	pod := b.objs["/registry/pods/"+nsName].(*corev1.Pod)
	pod.Spec.NodeName = node
}
