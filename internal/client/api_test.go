package client

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/internal/fakeapi"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/watch"
)

// These tests run the client against fakeapi, which speaks the API's
// protocol over real HTTP.

func apiClient(t *testing.T, opts ...fakeapi.Option) (*fakeapi.Server, *Client) {
	t.Helper()
	srv := fakeapi.New(t, append([]fakeapi.Option{fakeapi.WithTokens(map[string]string{"t0k": "alice"})}, opts...)...)
	c, err := New(&Config{Host: srv.URL(), BearerToken: "t0k", QPS: -1, Insecure: true, UserAgent: "kube-test/v0"})
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

func TestConfigMapLifecycle(t *testing.T) {
	ctx := context.Background()
	srv, c := apiClient(t)
	cms := For[corev1.ConfigMap](c, ConfigMaps).Namespace("default")

	created, err := cms.Create(ctx, &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "cfg", Labels: map[string]string{"app": "web"}}, Data: map[string]string{"k": "v1"}}, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if created.UID == "" || created.ResourceVersion == "" || created.CreationTimestamp.IsZero() {
		t.Errorf("create did not return the stored object: %+v", created.ObjectMeta)
	}
	if _, err := cms.Create(ctx, &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "cfg"}}, metav1.CreateOptions{}); !apierrors.IsAlreadyExists(err) {
		t.Errorf("second create: %v, want AlreadyExists", err)
	}
	gen, err := cms.Create(ctx, &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{GenerateName: "cfg-"}}, metav1.CreateOptions{})
	if err != nil || !strings.HasPrefix(gen.Name, "cfg-") || len(gen.Name) != len("cfg-")+5 {
		t.Errorf("generateName: %v %v", gen, err)
	}

	// Update guarded by resourceVersion.
	upd := created.DeepCopy()
	upd.Data["k"] = "v2"
	updated, err := cms.Update(ctx, upd, metav1.UpdateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cms.Update(ctx, upd, metav1.UpdateOptions{}); !apierrors.IsConflict(err) {
		t.Errorf("update with a stale resourceVersion: %v, want Conflict", err)
	}

	// Patches of each type.
	for _, p := range []struct {
		pt   types.PatchType
		data string
		want string
	}{
		{types.JSONPatchType, `[{"op":"replace","path":"/data/k","value":"json"}]`, "json"},
		{types.MergePatchType, `{"data":{"k":"merge"}}`, "merge"},
		{types.StrategicMergePatchType, `{"data":{"k":"strategic"}}`, "strategic"},
	} {
		got, err := cms.Patch(ctx, "cfg", p.pt, []byte(p.data), metav1.PatchOptions{})
		if err != nil {
			t.Fatalf("%s: %v", p.pt, err)
		}
		if got.Data["k"] != p.want {
			t.Errorf("%s: data %v", p.pt, got.Data)
		}
	}

	// Lists: selector, then pages.
	l, err := cms.List(ctx, metav1.ListOptions{LabelSelector: "app=web"})
	if err != nil || len(l.Items) != 1 || l.Items[0].Name != "cfg" || l.ResourceVersion == "" {
		t.Fatalf("list by label: %+v %v", l, err)
	}
	for i := 0; i < 5; i++ {
		if _, err := cms.Create(ctx, &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("page-%d", i)}}, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	var names []string
	opts := metav1.ListOptions{Limit: 3}
	for pages := 0; ; pages++ {
		l, err := cms.List(ctx, opts)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range l.Items {
			names = append(names, it.Name)
		}
		if l.Continue == "" {
			if pages != 2 {
				t.Errorf("%d pages of 3 for 7 objects, want 3", pages+1)
			}
			break
		}
		opts.Continue = l.Continue
	}
	if len(names) != 7 {
		t.Errorf("paged list returned %v", names)
	}

	// Delete with a precondition that fails, then succeeds.
	stale := created.ResourceVersion
	if err := cms.Delete(ctx, "cfg", metav1.DeleteOptions{Preconditions: &metav1.Preconditions{ResourceVersion: &stale}}); !apierrors.IsConflict(err) {
		t.Errorf("delete with a stale precondition: %v, want Conflict", err)
	}
	if err := cms.Delete(ctx, "cfg", metav1.DeleteOptions{Preconditions: &metav1.Preconditions{UID: &updated.UID}}); err != nil {
		t.Fatal(err)
	}
	if _, err := cms.Get(ctx, "cfg", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("get after delete: %v, want NotFound", err)
	}
	if err := cms.DeleteCollection(ctx, metav1.DeleteOptions{}, metav1.ListOptions{}); err != nil {
		t.Fatal(err)
	}
	if left := srv.Objects(fakeapi.ConfigMaps); len(left) != 0 {
		t.Errorf("%d config maps left after deletecollection", len(left))
	}
	for _, r := range srv.Requests() {
		if r.User != "alice" || r.Header.Get("User-Agent") != "kube-test/v0" {
			t.Fatalf("request %s %s as %q with agent %q", r.Method, r.Path, r.User, r.Header.Get("User-Agent"))
		}
	}
}

func TestStatusSubresourceAndDynamic(t *testing.T) {
	ctx := context.Background()
	_, c := apiClient(t)
	pods := For[corev1.Pod](c, Pods).Namespace("ns")
	pod, err := pods.Create(ctx, &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "p"}, Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "busybox"}}}}, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	pod.Status.Phase = corev1.PodRunning
	pod.Spec.NodeName = "ignored-by-status"
	got, err := pods.UpdateStatus(ctx, pod, metav1.UpdateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got.Status.Phase != corev1.PodRunning || got.Spec.NodeName != "" {
		t.Errorf("status update: phase %q nodeName %q", got.Status.Phase, got.Spec.NodeName)
	}

	dyn := For[unstructured.Unstructured](c, Pods).Namespace("ns")
	u, err := dyn.Get(ctx, "p", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if phase, _, _ := unstructured.NestedString(u.Object, "status", "phase"); phase != "Running" || u.GetKind() != "Pod" {
		t.Errorf("unstructured get: kind %q phase %q", u.GetKind(), phase)
	}
	l, err := dyn.List(ctx, metav1.ListOptions{FieldSelector: "status.phase=Running"})
	if err != nil || len(l.Items) != 1 {
		t.Fatalf("unstructured list by field: %v %v", l, err)
	}
}

func TestRetryAgainstServerFaults(t *testing.T) {
	srv, c := apiClient(t)
	var slept []time.Duration
	c.sleep = func(_ context.Context, d time.Duration) error { slept = append(slept, d); return nil }
	srv.FailNext(2, 429, 2)
	if _, err := For[corev1.ConfigMap](c, ConfigMaps).Namespace("default").Create(context.Background(), &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "x"}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(slept) != "[2s 2s]" {
		t.Errorf("waited %v, want Retry-After twice", slept)
	}
}

func TestBadCredentialsAreUnauthorized(t *testing.T) {
	srv, _ := apiClient(t)
	c, err := New(&Config{Host: srv.URL(), BearerToken: "wrong", QPS: -1, Insecure: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := For[corev1.Pod](c, Pods).List(context.Background(), metav1.ListOptions{}); !apierrors.IsUnauthorized(err) {
		t.Fatalf("error %v, want Unauthorized", err)
	}
}

func TestWatchFromResourceVersionAndGone(t *testing.T) {
	ctx := context.Background()
	srv, c := apiClient(t)
	cms := For[corev1.ConfigMap](c, ConfigMaps).Namespace("default")
	first, err := cms.Create(ctx, &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "a"}}, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	w, err := cms.Watch(ctx, metav1.ListOptions{ResourceVersion: first.ResourceVersion})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cms.Patch(ctx, "a", types.MergePatchType, []byte(`{"data":{"x":"y"}}`), metav1.PatchOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := cms.Delete(ctx, "a", metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	var got []watch.EventType
	for ev := range w.ResultChan() {
		got = append(got, ev.Type)
		if ev.Type == watch.Deleted {
			w.Stop()
		}
	}
	if fmt.Sprint(got) != "[MODIFIED DELETED]" {
		t.Errorf("events %v, want the change after the given resourceVersion, then the delete", got)
	}

	srv.Compact()
	w, err = cms.Watch(ctx, metav1.ListOptions{ResourceVersion: first.ResourceVersion})
	if err != nil {
		t.Fatal(err)
	}
	ev, ok := <-w.ResultChan()
	if !ok || ev.Type != watch.Error || !apierrors.IsResourceExpired(apierrors.FromObject(ev.Object)) {
		t.Fatalf("watch from a compacted revision: %v %+v, want an ERROR 410 Expired", ok, ev)
	}
	if _, ok := <-w.ResultChan(); ok {
		t.Error("the stream must end after the 410")
	}
}
