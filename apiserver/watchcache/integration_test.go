package watchcache

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/skiff-dev/skiff/apiserver/scheme"
	"github.com/skiff-dev/skiff/apiserver/storage"
	"github.com/skiff-dev/skiff/apiserver/storage/etcdtest"
)

// The cache over the real storage layer on a real etcd: it lists, follows
// the watch, and serves lists and watches with the revisions etcd gave.
func TestAgainstEtcd(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	client := etcdtest.Client(t, etcdtest.Start(t))
	st := storage.New(zaptest.NewLogger(t), client, "/registry", nil)
	pods := st.Resource("pods", scheme.NewCodecs(scheme.New()).Storage(), func() storage.Object { return &corev1.Pod{} })

	create := func(p *corev1.Pod) int64 {
		t.Helper()
		obj, err := pods.Create(ctx, pods.Key(p.Namespace, p.Name), p, 0)
		if err != nil {
			t.Fatalf("create %s: %v", p.Name, err)
		}
		return rvOf(t, obj)
	}
	create(pod("ns1", "a", "", "app=web"))
	listed := create(pod("ns1", "b", "", "app=db"))

	c := New(zaptest.NewLogger(t), pods, pods.Prefix(""), Config{Resource: "pods", GetAttrs: podAttrs})
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- c.Run(runCtx) }()
	defer func() {
		stop()
		<-done
	}()
	if err := c.WaitReady(ctx); err != nil {
		t.Fatal(err)
	}
	objs, rev, err := c.List(ctx, listed, "", storage.Predicate{})
	if err != nil || rev < listed || !slices.Equal(keys(objs), []string{"ns1/a", "ns1/b"}) {
		t.Fatalf("List = %v at %d, %v", keys(objs), rev, err)
	}

	web, _ := labels.Parse("app=web")
	all, err := c.Watch(ctx, rev, "", storage.Predicate{}, WatchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer all.Stop()
	sel, err := c.Watch(ctx, 0, "ns1/", storage.Predicate{Label: web}, WatchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer sel.Stop()
	if _, err := c.Watch(ctx, rev-1, "", storage.Predicate{}, WatchOptions{}); err == nil {
		t.Error("a watch from before the list succeeded")
	} else if _, ok := isExpired(err); !ok {
		t.Errorf("a watch from before the list: %v, want expired", err)
	}

	cRV := create(pod("ns1", "c", ""))
	updated, err := pods.GuaranteedUpdate(ctx, pods.Key("ns1", "a"), false, func(cur storage.Object) (storage.Object, error) {
		p := cur.(*corev1.Pod).DeepCopy()
		p.Labels["app"] = "db"
		return p, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	aRV := rvOf(t, updated)
	deleted, err := pods.Delete(ctx, pods.Key("ns1", "b"), nil)
	if err != nil {
		t.Fatal(err)
	}
	bRV := rvOf(t, deleted)

	want := []brief{{"ADDED", "ns1/c", cRV}, {"MODIFIED", "ns1/a", aRV}, {"DELETED", "ns1/b", bRV}}
	if got := take(t, all, 3); !slices.Equal(got, want) {
		t.Errorf("watch of all got %v, want %v", got, want)
	}
	gotSel := take(t, sel, 2)
	if gotSel[0].Type != "ADDED" || gotSel[0].Key != "ns1/a" || gotSel[1] != (brief{"DELETED", "ns1/a", aRV}) {
		t.Errorf("watch of app=web got %v, want a added then deleted at %d", gotSel, aRV)
	}
	objs, rev, err = c.List(ctx, bRV, "", storage.Predicate{})
	if err != nil || rev < bRV || !slices.Equal(keys(objs), []string{"ns1/a", "ns1/c"}) {
		t.Errorf("List after the changes = %v at %d, %v", keys(objs), rev, err)
	}
}

func rvOf(t *testing.T, obj storage.Object) int64 {
	t.Helper()
	rv, err := strconv.ParseInt(obj.GetResourceVersion(), 10, 64)
	if err != nil {
		t.Fatalf("object %s: resourceVersion: %v", obj.GetName(), err)
	}
	return rv
}
