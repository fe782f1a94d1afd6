package registry

import (
	"context"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"
	corev1 "k8s.io/api/core/v1"
	eventsv1 "k8s.io/api/events/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/skiff-dev/skiff/apiserver/scheme"
	"github.com/skiff-dev/skiff/apiserver/storage"
	"github.com/skiff-dev/skiff/apiserver/storage/etcdtest"
)

// A kind kept as another: the stored bytes are the stored kind's; reads,
// lists and watches give the served kind.
func TestConvertingBackendOnEtcd(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	st := storage.New(zaptest.NewLogger(t), etcdtest.Client(t, etcdtest.Start(t)), "/registry", nil)
	codec := scheme.NewCodecs(scheme.New()).Storage()
	core := st.Resource("events", codec, func() storage.Object { return &corev1.Event{} })
	sv := &StorageVersion{
		New: func() storage.Object { return &corev1.Event{} },
		To: func(o storage.Object) storage.Object {
			e := o.(*eventsv1.Event)
			return &corev1.Event{ObjectMeta: e.ObjectMeta, Message: e.Note}
		},
		From: func(o storage.Object) storage.Object {
			c := o.(*corev1.Event)
			return &eventsv1.Event{ObjectMeta: c.ObjectMeta, Note: c.Message}
		},
	}
	conv := NewConverting(core, sv)
	w, err := conv.Watch(ctx, conv.Prefix("ns"), 0)
	if err != nil {
		t.Fatal(err)
	}
	created, err := conv.Create(ctx, conv.Key("ns", "e"), &eventsv1.Event{ObjectMeta: metav1.ObjectMeta{Name: "e", Namespace: "ns"}, Note: "hi"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if created.(*eventsv1.Event).Note != "hi" {
		t.Errorf("create answered %#v", created)
	}
	stored, err := core.Get(ctx, core.Key("ns", "e"))
	if err != nil || stored.(*corev1.Event).Message != "hi" {
		t.Fatalf("stored form: %#v %v", stored, err)
	}
	updated, err := conv.GuaranteedUpdate(ctx, conv.Key("ns", "e"), false, func(cur storage.Object) (storage.Object, error) {
		e := cur.(*eventsv1.Event)
		e.Note = "bye"
		return e, nil
	})
	if err != nil || updated.(*eventsv1.Event).Note != "bye" {
		t.Fatalf("update: %#v %v", updated, err)
	}
	l, err := conv.List(ctx, conv.Prefix("ns"), storage.ListOptions{})
	if err != nil || len(l.Items) != 1 || l.Items[0].(*eventsv1.Event).Note != "bye" {
		t.Fatalf("list: %+v %v", l, err)
	}
	for _, want := range []string{"hi", "bye"} {
		ev := <-w
		if e, ok := ev.Object.(*eventsv1.Event); !ok || e.Note != want {
			t.Errorf("watch event %#v, want note %q", ev.Object, want)
		}
	}
	if _, err := conv.Delete(ctx, conv.Key("ns", "e"), func(cur storage.Object) error {
		if _, ok := cur.(*eventsv1.Event); !ok {
			t.Errorf("delete check saw %T", cur)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}
