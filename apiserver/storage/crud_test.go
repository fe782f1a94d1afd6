package storage

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/skiff-dev/skiff/apiserver/scheme"
)

func TestKeyAndPrefix(t *testing.T) {
	codec := scheme.NewCodecs(scheme.New()).Storage()
	newCM := func() Object { return &corev1.ConfigMap{} }
	tests := []struct {
		name, pathPrefix, resource, ns, obj string
		key, prefix, allPrefix              string
	}{
		{"namespaced", "/registry", "pods", "ns", "p", "/registry/pods/ns/p", "/registry/pods/ns/", "/registry/pods/"},
		{"cluster-scoped", "/registry", "minions", "", "n1", "/registry/minions/n1", "/registry/minions/", "/registry/minions/"},
		{"two-part resource", "/registry", "services/specs", "ns", "s", "/registry/services/specs/ns/s", "/registry/services/specs/ns/", "/registry/services/specs/"},
		{"prefix without slash", "registry", "pods", "ns", "p", "/registry/pods/ns/p", "/registry/pods/ns/", "/registry/pods/"},
		{"prefix with trailing slash", "/kube/", "pods", "ns", "p", "/kube/pods/ns/p", "/kube/pods/ns/", "/kube/pods/"},
		{"empty prefix", "", "pods", "ns", "p", "/pods/ns/p", "/pods/ns/", "/pods/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := New(nil, nil, tt.pathPrefix, nil).Resource(tt.resource, codec, newCM)
			if got := r.Key(tt.ns, tt.obj); got != tt.key {
				t.Errorf("Key = %q, want %q", got, tt.key)
			}
			if got := r.Prefix(tt.ns); got != tt.prefix {
				t.Errorf("Prefix(%q) = %q, want %q", tt.ns, got, tt.prefix)
			}
			if got := r.Prefix(""); got != tt.allPrefix {
				t.Errorf(`Prefix("") = %q, want %q`, got, tt.allPrefix)
			}
		})
	}
}

func TestCreateAndGet(t *testing.T) {
	e := newTestEnv(t)
	ctx := testContext(t)
	key := e.cms.Key("ns", "a")
	in := configMap("ns", "a", map[string]string{"k": "v"})

	out, err := e.cms.Create(ctx, key, in, 0)
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if want := rvOf(e.revision(t, ctx)); rv(out) != want {
		t.Errorf("created resourceVersion = %q, want the current revision %s", rv(out), want)
	}
	if out.(*corev1.ConfigMap).Data["k"] != "v" {
		t.Errorf("created data = %v", out.(*corev1.ConfigMap).Data)
	}
	if rv(in) != "" {
		t.Errorf("Create changed the caller's resourceVersion to %q", rv(in))
	}

	// Stored as protobuf, without the resourceVersion.
	raw, err := e.client.Get(ctx, key)
	if err != nil || len(raw.Kvs) != 1 {
		t.Fatalf("raw get: %v, %v", raw, err)
	}
	if !bytes.HasPrefix(raw.Kvs[0].Value, []byte("k8s\x00")) {
		t.Errorf("stored value is not protobuf: %q", raw.Kvs[0].Value)
	}
	var stored corev1.ConfigMap
	if err := e.codec.Decode(raw.Kvs[0].Value, &stored); err != nil {
		t.Fatalf("decode stored: %v", err)
	}
	if stored.ResourceVersion != "" {
		t.Errorf("stored resourceVersion = %q, want none", stored.ResourceVersion)
	}

	got, err := e.cms.Get(ctx, key)
	if err != nil {
		t.Fatalf("get: %v", err)
	}
	if rv(got) != rv(out) || got.(*corev1.ConfigMap).Data["k"] != "v" {
		t.Errorf("get = rv %q data %v, want rv %q", rv(got), got.(*corev1.ConfigMap).Data, rv(out))
	}
}

func TestCreateIsOneTransaction(t *testing.T) {
	e := newTestEnv(t)
	ctx := testContext(t)
	e.mustCreate(t, ctx, "ns", "a", nil)
	requests := testutil.CollectAndCount(e.reg, "etcd_requests_total")
	if requests != 1 {
		t.Errorf("etcd_requests_total has %d series, want 1 (create only)", requests)
	}
	if n := testutil.ToFloat64(e.store.metrics.requests.WithLabelValues("create", "configmaps")); n != 1 {
		t.Errorf("creates = %v, want 1", n)
	}
}

func TestCreateErrors(t *testing.T) {
	e := newTestEnv(t)
	ctx := testContext(t)
	first := e.mustCreate(t, ctx, "ns", "a", nil)

	_, err := e.cms.Create(ctx, e.cms.Key("ns", "a"), configMap("ns", "a", nil), 0)
	if !errors.Is(err, ErrAlreadyExists) || !strings.Contains(err.Error(), `"/registry/configmaps/ns/a"`) {
		t.Errorf("create of a taken key: %v, want ErrAlreadyExists naming the key", err)
	}
	if got, _ := e.cms.Get(ctx, e.cms.Key("ns", "a")); rv(got) != rv(first) {
		t.Errorf("failed create changed the object: rv %s, want %s", rv(got), rv(first))
	}

	withRV := configMap("ns", "b", nil)
	withRV.ResourceVersion = "5"
	if _, err := e.cms.Create(ctx, e.cms.Key("ns", "b"), withRV, 0); err == nil {
		t.Error("create of an object with a resourceVersion succeeded")
	}
	if _, err := e.cms.Create(ctx, "/registry/secrets/ns/x", configMap("ns", "x", nil), 0); err == nil {
		t.Error("create outside the resource's prefix succeeded")
	}
	if _, err := e.cms.Create(ctx, e.cms.Prefix(""), configMap("ns", "x", nil), 0); err == nil {
		t.Error("create at the resource's prefix itself succeeded")
	}
}

func TestGetNotFound(t *testing.T) {
	e := newTestEnv(t)
	ctx := testContext(t)
	_, err := e.cms.Get(ctx, e.cms.Key("ns", "missing"))
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "ns/missing") {
		t.Errorf("get missing: %v, want ErrNotFound naming the key", err)
	}
}

func TestGetSkipsNothingOnCorruptValue(t *testing.T) {
	e := newTestEnv(t)
	ctx := testContext(t)
	key := e.cms.Key("ns", "bad")
	if _, err := e.client.Put(ctx, key, "not an object"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.cms.Get(ctx, key); err == nil || errors.Is(err, ErrNotFound) {
		t.Errorf("get of an undecodable value: %v, want a decode error", err)
	}
}

func TestDelete(t *testing.T) {
	e := newTestEnv(t)
	ctx := testContext(t)
	created := e.mustCreate(t, ctx, "ns", "a", map[string]string{"k": "last"})
	key := e.cms.Key("ns", "a")

	out, err := e.cms.Delete(ctx, key, nil)
	if err != nil {
		t.Fatalf("delete: %v", err)
	}
	if want := rvOf(e.revision(t, ctx)); rv(out) != want || rv(out) == rv(created) {
		t.Errorf("deleted resourceVersion = %s, want the deletion's revision %s", rv(out), want)
	}
	if out.(*corev1.ConfigMap).Data["k"] != "last" {
		t.Errorf("deleted object = %v, want the last state", out)
	}
	if _, err := e.cms.Get(ctx, key); !errors.Is(err, ErrNotFound) {
		t.Errorf("get after delete: %v, want ErrNotFound", err)
	}
	if _, err := e.cms.Delete(ctx, key, nil); !errors.Is(err, ErrNotFound) {
		t.Errorf("second delete: %v, want ErrNotFound", err)
	}
}

func TestDeletePreconditions(t *testing.T) {
	e := newTestEnv(t)
	ctx := testContext(t)
	created := e.mustCreate(t, ctx, "ns", "a", nil)
	key := e.cms.Key("ns", "a")
	errVeto := fmt.Errorf("uid mismatch: %w", ErrConflict)
	checkUID := func(uid types.UID) func(Object) error {
		return func(cur Object) error {
			if cur.GetUID() != uid {
				return errVeto
			}
			return nil
		}
	}
	if _, err := e.cms.Delete(ctx, key, checkUID("other")); err != errVeto {
		t.Fatalf("vetoed delete: %v, want the check's error unchanged", err)
	}
	if got, err := e.cms.Get(ctx, key); err != nil || rv(got) != rv(created) {
		t.Fatalf("vetoed delete removed or changed the object: %v, %v", got, err)
	}
	if _, err := e.cms.Delete(ctx, key, checkUID(created.UID)); err != nil {
		t.Fatalf("delete with a matching precondition: %v", err)
	}
}

func TestDeleteRetriesAfterConcurrentWrite(t *testing.T) {
	e := newTestEnv(t)
	ctx := testContext(t)
	e.mustCreate(t, ctx, "ns", "a", map[string]string{"v": "1"})
	key := e.cms.Key("ns", "a")
	var seen []string
	out, err := e.cms.Delete(ctx, key, func(cur Object) error {
		seen = append(seen, cur.(*corev1.ConfigMap).Data["v"])
		if len(seen) == 1 { // another writer slips in before the delete
			_, err := e.cms.GuaranteedUpdate(ctx, key, false, func(cur Object) (Object, error) {
				cur.(*corev1.ConfigMap).Data["v"] = "2"
				return cur, nil
			})
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatalf("delete: %v", err)
	}
	if strings.Join(seen, ",") != "1,2" {
		t.Errorf("check saw %v, want 1 then 2 (a re-read after the guard failed)", seen)
	}
	if out.(*corev1.ConfigMap).Data["v"] != "2" {
		t.Errorf("deleted state = %v, want v=2", out)
	}
}

func TestUnavailableEtcd(t *testing.T) {
	client, err := clientv3.New(clientv3.Config{
		Endpoints: []string{"http://127.0.0.1:1"}, DialTimeout: time.Second, Logger: zap.NewNop(),
	})
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	e := newTestEnvOn(t, client)
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	if _, err := e.cms.Get(ctx, e.cms.Key("ns", "a")); !errors.Is(err, ErrUnavailable) {
		t.Errorf("get: %v, want ErrUnavailable", err)
	}
	createCtx, cancelCreate := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancelCreate()
	if _, err := e.cms.Create(createCtx, e.cms.Key("ns", "a"), configMap("ns", "a", nil), 0); !errors.Is(err, ErrUnavailable) {
		t.Errorf("create: %v, want ErrUnavailable", err)
	}
	checkCtx, cancelCheck := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancelCheck()
	if err := e.store.Check(checkCtx); !errors.Is(err, ErrUnavailable) {
		t.Errorf("check: %v, want ErrUnavailable", err)
	}
}

func TestCheckAndCurrentRevision(t *testing.T) {
	e := newTestEnv(t)
	ctx := testContext(t)
	if err := e.store.Check(ctx); err != nil {
		t.Fatalf("check: %v", err)
	}
	before := e.revision(t, ctx)
	created := e.mustCreate(t, ctx, "ns", "a", nil)
	after := e.revision(t, ctx)
	if after != before+1 || rv(created) != rvOf(after) {
		t.Errorf("revisions %d -> %d, created at %s; want one step", before, after, rv(created))
	}
}

// TestCreatesReuseNoMemoryStillInUse: creates encode into buffers that
// later creates reuse; what a create returned and what it stored stay
// whole after many more creates, from several goroutines at once.
func TestCreatesReuseNoMemoryStillInUse(t *testing.T) {
	e := newTestEnv(t)
	ctx := testContext(t)
	const writers, each = 4, 25
	created := make([][]Object, writers)
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				name := fmt.Sprintf("cm-%d-%d", w, i)
				value := strings.Repeat(name, 1+i%7) // sizes vary: buffers grow and shrink
				out, err := e.cms.Create(ctx, e.cms.Key("ns", name), configMap("ns", name, map[string]string{"v": value}), 0)
				if err != nil {
					t.Error(err)
					return
				}
				created[w] = append(created[w], out)
			}
		}()
	}
	wg.Wait()
	for w := range writers {
		for i, out := range created[w] {
			name := fmt.Sprintf("cm-%d-%d", w, i)
			want := strings.Repeat(name, 1+i%7)
			if got := out.(*corev1.ConfigMap).Data["v"]; out.GetName() != name || got != want {
				t.Errorf("create of %s returned %s with %q", name, out.GetName(), got)
			}
			stored, err := e.cms.Get(ctx, e.cms.Key("ns", name))
			if err != nil {
				t.Fatal(err)
			}
			if got := stored.(*corev1.ConfigMap).Data["v"]; got != want {
				t.Errorf("%s stored %q, want %q", name, got, want)
			}
		}
	}
}

// TestCreateAnswersAsStored: what a create returns (and hands to the
// watch) is what the stored bytes decode to, as upstream answers: an empty
// list the caller wrote as [] is stored as nothing and read back as null.
func TestCreateAnswersAsStored(t *testing.T) {
	e := newTestEnv(t)
	ctx := testContext(t)
	key := e.pods.Key("ns", "p")
	in := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "p"}, Spec: corev1.PodSpec{Containers: []corev1.Container{}}}
	out, err := e.pods.Create(ctx, key, in, 0)
	if err != nil {
		t.Fatal(err)
	}
	got, err := e.pods.Get(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	created, _ := json.Marshal(out)
	read, _ := json.Marshal(got)
	if string(created) != string(read) {
		t.Errorf("create answered\n %s\nwhere a read answers\n %s", created, read)
	}
}
