package informer

import (
	"context"
	"testing"

	"go.uber.org/zap/zaptest"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/skiff-dev/skiff/internal/clocktest"
)

func TestFactorySharesOneInformerPerResource(t *testing.T) {
	sources := map[schema.GroupVersionResource]*fakeSource{}
	newLW := func(gvr schema.GroupVersionResource) ListerWatcher {
		s := newFakeSource()
		s.set("a")
		sources[gvr] = s
		return s
	}
	f := NewFactory(zaptest.NewLogger(t), newLW, 0, WithClock(clocktest.NewFake()))
	cms := corev1.SchemeGroupVersion.WithResource("configmaps")
	first := f.ForResource(cms, &corev1.ConfigMap{})
	if again := f.ForResource(cms, &corev1.ConfigMap{}); again != first {
		t.Error("a second ForResource made a second informer")
	}
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	runCtx, stop := context.WithCancel(ctx)
	f.Start(runCtx)
	f.Start(runCtx) // starts nothing twice

	synced := f.WaitForCacheSync(ctx)
	if len(synced) != 1 || !synced[cms] {
		t.Errorf("WaitForCacheSync = %v", synced)
	}
	if _, ok := first.GetIndexer().GetByKey("ns/a"); !ok {
		t.Error("the informer's store lacks ns/a")
	}
	if len(sources) != 1 || len(sources[cms].lists()) != 1 {
		t.Error("the resource was not listed exactly once")
	}
	stop()
	f.Wait()
}
