package storage

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap/zaptest"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/skiff-dev/skiff/apiserver/scheme"
	"github.com/skiff-dev/skiff/apiserver/storage/etcdtest"
)

// testEnv is a store on a fresh etcd, with ConfigMaps and Pods.
type testEnv struct {
	client *clientv3.Client
	store  *Store
	cms    *Resource
	pods   *Resource
	reg    *prometheus.Registry
	codec  Codec
}

func newTestEnv(t testing.TB) *testEnv {
	t.Helper()
	client := etcdtest.Client(t, etcdtest.Start(t))
	return newTestEnvOn(t, client)
}

// newTestEnvOn builds a second store (another apiserver) on client's etcd.
func newTestEnvOn(t testing.TB, client *clientv3.Client) *testEnv {
	t.Helper()
	reg := prometheus.NewRegistry()
	s := New(zaptest.NewLogger(t), client, "/registry", reg)
	codec := scheme.NewCodecs(scheme.New()).Storage()
	return &testEnv{
		client: client,
		store:  s,
		cms:    s.Resource("configmaps", codec, func() Object { return &corev1.ConfigMap{} }),
		pods:   s.Resource("pods", codec, func() Object { return &corev1.Pod{} }),
		reg:    reg,
		codec:  codec,
	}
}

// testContext ends with the test, or after 30s.
func testContext(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func configMap(ns, name string, data map[string]string) *corev1.ConfigMap {
	return &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name}, Data: data}
}

// mustCreate stores a ConfigMap and returns it as stored.
func (e *testEnv) mustCreate(t testing.TB, ctx context.Context, ns, name string, data map[string]string) *corev1.ConfigMap {
	t.Helper()
	out, err := e.cms.Create(ctx, e.cms.Key(ns, name), configMap(ns, name, data), 0)
	if err != nil {
		t.Fatalf("create %s/%s: %v", ns, name, err)
	}
	return out.(*corev1.ConfigMap)
}

func (e *testEnv) revision(t testing.TB, ctx context.Context) int64 {
	t.Helper()
	rev, err := e.store.CurrentRevision(ctx)
	if err != nil {
		t.Fatalf("current revision: %v", err)
	}
	return rev
}

// compact compacts etcd at its current revision.
func (e *testEnv) compact(t testing.TB, ctx context.Context) int64 {
	t.Helper()
	rev := e.revision(t, ctx)
	if _, err := e.client.Compact(ctx, rev, clientv3.WithCompactPhysical()); err != nil {
		t.Fatalf("compact at %d: %v", rev, err)
	}
	return rev
}

func rv(obj Object) string { return obj.GetResourceVersion() }

func rvOf(rev int64) string { return fmt.Sprint(rev) }

// names returns the namespace/name of each object.
func names(objs []Object) []string {
	out := make([]string, 0, len(objs))
	for _, o := range objs {
		out = append(out, o.GetNamespace()+"/"+o.GetName())
	}
	return out
}

// podObj is a small but realistic pod.
func podObj(ns, name string) *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			Namespace: ns, Name: name, UID: types.UID("uid-" + ns + "-" + name),
			Labels: map[string]string{"app": "web", "tier": "frontend"},
		},
		Spec: corev1.PodSpec{
			NodeName: "node-1",
			Containers: []corev1.Container{{
				Name: "web", Image: "registry.local/web:1.0",
				Ports: []corev1.ContainerPort{{ContainerPort: 8080, Protocol: corev1.ProtocolTCP}},
				Env:   []corev1.EnvVar{{Name: "MODE", Value: "production"}},
			}},
		},
		Status: corev1.PodStatus{Phase: corev1.PodRunning, PodIP: "10.0.0.1"},
	}
}
