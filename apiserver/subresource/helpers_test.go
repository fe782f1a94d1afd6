package subresource

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"go.uber.org/zap/zaptest"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/skiff-dev/skiff/apiserver/authentication"
	"github.com/skiff-dev/skiff/apiserver/endpoints"
	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/registry/apps"
	"github.com/skiff-dev/skiff/apiserver/registry/core"
	"github.com/skiff-dev/skiff/apiserver/registry/core/pod"
	"github.com/skiff-dev/skiff/apiserver/registry/policy"
	"github.com/skiff-dev/skiff/apiserver/scheme"
	"github.com/skiff-dev/skiff/apiserver/storage"
	"github.com/skiff-dev/skiff/apiserver/storage/etcdtest"
)

// env is a fresh etcd with the registry's stores of the kinds the
// subresources touch (lists read etcd: no watch caches), and an API
// server serving them.
type env struct {
	t      *testing.T
	codecs *scheme.Codecs
	stores map[string]*registry.Store // by resource.group
}

func newEnv(t *testing.T) *env {
	t.Helper()
	client := etcdtest.Client(t, etcdtest.Start(t))
	st := storage.New(zaptest.NewLogger(t), client, "/registry", nil)
	codecs := scheme.NewCodecs(scheme.New())
	e := &env{t: t, codecs: codecs, stores: map[string]*registry.Store{}}
	var resources []*registry.Resource
	resources = append(resources, core.Resources(core.Options{})...)
	resources = append(resources, pod.Resources()...)
	resources = append(resources, apps.Resources()...)
	resources = append(resources, policy.Resources()...)
	for _, r := range resources {
		if r.GVR.Group == "" && r.GVR.Resource == "pods" {
			r.Subresources = map[string]registry.UpdateStrategy{BindingSubresource: BindingStrategy{}}
		}
		backend := st.Resource(r.StoragePrefix, codecs.Storage(), r.New)
		e.stores[r.GroupResource().String()] = registry.NewStore(r, backend, nil)
	}
	return e
}

func (e *env) store(gr string) *registry.Store {
	s, ok := e.stores[gr]
	if !ok {
		e.t.Fatalf("no store %s", gr)
	}
	return s
}

// serve returns a server of the resource API with opts (subresource
// handlers), every request made by no one.
func (e *env) serve(opts ...endpoints.Option) *httptest.Server {
	return e.serveAs(nil, opts...)
}

// serveAs is serve with every request made by user (nil: no one).
func (e *env) serveAs(user *authentication.User, opts ...endpoints.Option) *httptest.Server {
	var stores []*registry.Store
	for _, s := range e.stores {
		stores = append(stores, s)
	}
	h := endpoints.NewHandler(zaptest.NewLogger(e.t), e.codecs, stores, opts...)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := endpoints.WithRequestInfo(r.Context(), endpoints.ParseRequestInfo(r))
		if user != nil {
			ctx = authentication.WithUser(ctx, user)
		}
		h.ServeHTTP(w, r.WithContext(ctx))
	}))
	e.t.Cleanup(srv.Close)
	return srv
}

// response is an answer read whole.
type response struct {
	code   int
	body   []byte
	header http.Header
}

func (r response) status(t *testing.T) metav1.Status {
	t.Helper()
	var s metav1.Status
	if err := json.Unmarshal(r.body, &s); err != nil {
		t.Fatalf("not a Status (%d): %s", r.code, r.body)
	}
	return s
}

func (r response) into(t *testing.T, obj any) {
	t.Helper()
	if err := json.Unmarshal(r.body, obj); err != nil {
		t.Fatalf("decode %T from %d %s: %v", obj, r.code, r.body, err)
	}
}

// do sends body (JSON-encoded unless []byte) with contentType.
func do(t *testing.T, srv *httptest.Server, method, path, contentType string, body any) response {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, srv.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{code: resp.StatusCode, body: data, header: resp.Header}
}

func post(t *testing.T, srv *httptest.Server, path string, body any) response {
	t.Helper()
	return do(t, srv, http.MethodPost, path, "application/json", body)
}

// createPod stores a valid pod, changed by mutate first.
func (e *env) createPod(ns, name string, mutate func(*corev1.Pod)) *corev1.Pod {
	e.t.Helper()
	p := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns, Labels: map[string]string{"app": "web"}},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "busybox"}}},
	}
	if mutate != nil {
		mutate(p)
	}
	return e.create("pods", ns, p).(*corev1.Pod)
}

// create defaults and stores obj.
func (e *env) create(gr, ns string, obj storage.Object) storage.Object {
	e.t.Helper()
	s := e.store(gr)
	s.Resource().Strategy.Default(obj)
	out, err := s.Create(context.Background(), ns, obj, registry.WriteOptions{})
	if err != nil {
		e.t.Fatalf("create %s %s/%s: %v", gr, ns, obj.GetName(), err)
	}
	return out
}

// setStatus changes an object's status through its status subresource.
func (e *env) setStatus(gr, ns, name string, change func(obj storage.Object)) storage.Object {
	e.t.Helper()
	out, _, err := e.store(gr).Update(context.Background(), ns, name, "status", func(_ context.Context, cur storage.Object) (storage.Object, error) {
		obj := cur.DeepCopyObject().(storage.Object)
		change(obj)
		return obj, nil
	}, registry.WriteOptions{})
	if err != nil {
		e.t.Fatalf("status of %s %s/%s: %v", gr, ns, name, err)
	}
	return out
}

func (e *env) get(gr, ns, name string) storage.Object {
	e.t.Helper()
	obj, err := e.store(gr).Get(context.Background(), ns, name)
	if err != nil {
		e.t.Fatalf("get %s %s/%s: %v", gr, ns, name, err)
	}
	return obj
}

var podsGVR = schema.GroupVersionResource{Version: "v1", Resource: "pods"}
