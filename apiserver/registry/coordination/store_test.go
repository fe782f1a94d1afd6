package coordination

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	coordinationv1 "k8s.io/api/coordination/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

// memBackend is an in-memory registry.Backend, enough for create and
// update through the registry's Store.
type memBackend struct {
	mu   sync.Mutex
	rev  int64
	objs map[string]storage.Object
}

func (b *memBackend) Key(ns, name string) string { return ns + "/" + name }
func (b *memBackend) Prefix(ns string) string    { return ns + "/" }

func (b *memBackend) Get(_ context.Context, key string) (storage.Object, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	o, ok := b.objs[key]
	if !ok {
		return nil, fmt.Errorf("%s: %w", key, storage.ErrNotFound)
	}
	return o.DeepCopyObject().(storage.Object), nil
}

func (b *memBackend) Create(_ context.Context, key string, obj storage.Object, _ int64) (storage.Object, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.objs[key]; ok {
		return nil, fmt.Errorf("%s: %w", key, storage.ErrAlreadyExists)
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
		return nil, fmt.Errorf("%s: %w", key, storage.ErrNotFound)
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

func (b *memBackend) Delete(context.Context, string, func(storage.Object) error) (storage.Object, error) {
	return nil, fmt.Errorf("not used by these tests")
}

func (b *memBackend) List(context.Context, string, storage.ListOptions) (*storage.ListResult, error) {
	return nil, fmt.Errorf("not used by these tests")
}

// TestLeaseCreateOnUpdate: a PUT of a missing lease creates it, as leader
// election expects; invalid specs are refused on that path too.
func TestLeaseCreateOnUpdate(t *testing.T) {
	ctx := context.Background()
	s := registry.NewStore(leaseResource(time.Now), &memBackend{objs: map[string]storage.Object{}}, nil)
	put := func(d int32) func(context.Context, storage.Object) (storage.Object, error) {
		return func(context.Context, storage.Object) (storage.Object, error) {
			return &coordinationv1.Lease{ObjectMeta: metav1.ObjectMeta{Name: "kube-controller-manager"},
				Spec: coordinationv1.LeaseSpec{HolderIdentity: ptr("cp-1"), LeaseDurationSeconds: ptr(d)}}, nil
		}
	}
	if _, _, err := s.Update(ctx, "kube-system", "kube-controller-manager", "", put(0), registry.WriteOptions{}); err == nil {
		t.Fatal("invalid lease created")
	}
	out, created, err := s.Update(ctx, "kube-system", "kube-controller-manager", "", put(15), registry.WriteOptions{})
	if err != nil || !created || out.GetUID() == "" || out.GetNamespace() != "kube-system" {
		t.Fatalf("create on update: created=%v err=%v obj=%v", created, err, out)
	}
	_, created, err = s.Update(ctx, "kube-system", "kube-controller-manager", "", put(20), registry.WriteOptions{})
	if err != nil || created {
		t.Fatalf("second update: created=%v err=%v", created, err)
	}
}
