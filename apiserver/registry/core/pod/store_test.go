package pod

import (
	"context"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/registry/registrytest"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

func TestStoreLifecycle(t *testing.T) {
	ctx := context.Background()
	res := Resources()[0]
	backend := registrytest.NewBackend()
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
	setNode(t, backend, "default/web", "n1")
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
func setNode(t *testing.T, b *registrytest.Backend, key, node string) {
	t.Helper()
	_, err := b.GuaranteedUpdate(context.Background(), key, false, func(cur storage.Object) (storage.Object, error) {
		cur.(*corev1.Pod).Spec.NodeName = node
		return cur, nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
