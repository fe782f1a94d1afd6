package coordination

import (
	"context"
	"testing"
	"time"

	coordinationv1 "k8s.io/api/coordination/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/registry/registrytest"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

// TestLeaseCreateOnUpdate: a PUT of a missing lease creates it, as leader
// election expects; invalid specs are refused on that path too.
func TestLeaseCreateOnUpdate(t *testing.T) {
	ctx := context.Background()
	s := registry.NewStore(leaseResource(time.Now), registrytest.NewBackend(), nil)
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
