package registry

import (
	"context"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/scheme"
	"github.com/skiff-dev/skiff/apiserver/storage"
	"github.com/skiff-dev/skiff/apiserver/storage/etcdtest"
	"github.com/skiff-dev/skiff/apiserver/watchcache"
)

// configMapStrategy validates that data has no key "bad".
type configMapStrategy struct{ Plain }

func (configMapStrategy) Validate(_ context.Context, obj storage.Object) field.ErrorList {
	if _, bad := obj.(*corev1.ConfigMap).Data["bad"]; bad {
		return field.ErrorList{field.Invalid(field.NewPath("data").Key("bad"), "", "is not allowed")}
	}
	return nil
}

func (s configMapStrategy) ValidateUpdate(ctx context.Context, obj, _ storage.Object) field.ErrorList {
	return s.Validate(ctx, obj)
}

var (
	configMaps = &Resource{
		GVR: schema.GroupVersionResource{Version: "v1", Resource: "configmaps"}, Kind: "ConfigMap", Namespaced: true,
		StoragePrefix: "configmaps", Strategy: configMapStrategy{},
		New:     func() storage.Object { return &corev1.ConfigMap{} },
		NewList: func() runtime.Object { return &corev1.ConfigMapList{} },
	}
	deployments = &Resource{
		GVR: schema.GroupVersionResource{Group: "apps", Version: "v1", Resource: "deployments"}, Kind: "Deployment", Namespaced: true,
		StoragePrefix: "deployments", Strategy: WithStatus{}, Status: StatusOnly{},
		New:     func() storage.Object { return &appsv1.Deployment{} },
		NewList: func() runtime.Object { return &appsv1.DeploymentList{} },
	}
)

// newStores starts etcd and returns running stores (with watch caches) of
// the resources.
func newStores(t *testing.T, resources ...*Resource) []*Store {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	client := etcdtest.Client(t, etcdtest.Start(t))
	st := storage.New(zaptest.NewLogger(t), client, "/registry", nil)
	codec := scheme.NewCodecs(scheme.New()).Storage()
	var out []*Store
	for _, r := range resources {
		backend := st.Resource(r.StoragePrefix, codec, r.New)
		cache := watchcache.New(zaptest.NewLogger(t), backend, backend.Prefix(""), watchcache.Config{
			Resource: r.GVR.Resource, KeyFunc: watchcache.NamespaceKey, GetAttrs: DefaultAttrs,
		})
		done := make(chan struct{})
		go func() { defer close(done); _ = cache.Run(ctx) }()
		t.Cleanup(func() { cancel(); <-done })
		if err := cache.WaitReady(ctx); err != nil {
			t.Fatal(err)
		}
		out = append(out, NewStore(r, backend, cache))
	}
	return out
}

func cm(name string, data map[string]string) *corev1.ConfigMap {
	return &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: name}, Data: data}
}

func TestCreateFillsMetadataAndRefusesBadObjects(t *testing.T) {
	s := newStores(t, configMaps)[0]
	ctx := context.Background()
	out, err := s.Create(ctx, "ns", &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{GenerateName: "cfg-"}}, WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.GetName(), "cfg-") || len(out.GetName()) != 9 || out.GetUID() == "" ||
		out.GetCreationTimestamp().Time.IsZero() || out.GetResourceVersion() == "" || out.GetNamespace() != "ns" {
		t.Errorf("created %+v", out)
	}
	tests := []struct {
		name  string
		ns    string
		obj   *corev1.ConfigMap
		check func(error) bool
		want  string
	}{
		{"exists", "ns", cm(out.GetName(), nil), apierrors.IsAlreadyExists, "already exists"},
		{"invalid name", "ns", cm("Not_Valid", nil), apierrors.IsInvalid, `metadata.name: Invalid value: "Not_Valid"`},
		{"no name", "ns", cm("", nil), apierrors.IsInvalid, "metadata.name: Required value"},
		{"kind's validation", "ns", cm("x", map[string]string{"bad": ""}), apierrors.IsInvalid, "data[bad]: Invalid value"},
		{"other namespace in body", "ns", &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "y", Namespace: "other"}}, apierrors.IsBadRequest, "does not match the namespace"},
		{"resourceVersion set", "ns", &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "z", ResourceVersion: "5"}}, apierrors.IsBadRequest, "resourceVersion should not be set"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Create(ctx, tt.ns, tt.obj, WriteOptions{})
			if !tt.check(err) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
	if _, err := s.Create(ctx, "ns", cm("dry", nil), WriteOptions{DryRun: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, "ns", "dry"); !apierrors.IsNotFound(err) {
		t.Errorf("a dry-run create was stored: %v", err)
	}
}

func replaceWith(obj storage.Object) UpdateFunc {
	return func(context.Context, storage.Object) (storage.Object, error) {
		return obj.DeepCopyObject().(storage.Object), nil
	}
}

func TestUpdateRules(t *testing.T) {
	stores := newStores(t, configMaps, deployments)
	cms, deploys := stores[0], stores[1]
	ctx := context.Background()
	created, err := cms.Create(ctx, "ns", cm("a", map[string]string{"k": "1"}), WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	stale := created.DeepCopyObject().(*corev1.ConfigMap)
	next := stale.DeepCopy()
	next.Data["k"] = "2"
	updated, _, err := cms.Update(ctx, "ns", "a", "", replaceWith(next), WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if updated.GetUID() != created.GetUID() || updated.GetResourceVersion() == created.GetResourceVersion() {
		t.Errorf("update: uid %s→%s rv %s→%s", created.GetUID(), updated.GetUID(), created.GetResourceVersion(), updated.GetResourceVersion())
	}
	stale.Data["k"] = "3"
	if _, _, err := cms.Update(ctx, "ns", "a", "", replaceWith(stale), WriteOptions{}); !apierrors.IsConflict(err) ||
		!strings.Contains(err.Error(), "the object has been modified; please apply your changes to the latest version and try again") {
		t.Errorf("stale update: %v, want upstream's Conflict", err)
	}
	unconditional := cm("a", map[string]string{"k": "4"})
	if _, _, err := cms.Update(ctx, "ns", "a", "", replaceWith(unconditional), WriteOptions{}); err != nil {
		t.Errorf("an update without resourceVersion is unconditional: %v", err)
	}
	if _, _, err := cms.Update(ctx, "ns", "missing", "", replaceWith(cm("missing", nil)), WriteOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("update of a missing object: %v", err)
	}
	if _, _, err := cms.Update(ctx, "ns", "a", "", replaceWith(cm("b", nil)), WriteOptions{}); !apierrors.IsBadRequest(err) {
		t.Errorf("body naming another object: %v", err)
	}

	// Generation follows the spec; the status subresource changes only the status.
	d, err := deploys.Create(ctx, "ns", &appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Name: "web"}, Status: appsv1.DeploymentStatus{Replicas: 9}}, WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	dep := d.(*appsv1.Deployment)
	if dep.Generation != 1 || dep.Status.Replicas != 0 {
		t.Errorf("create: generation %d, status %+v (status must be cleared)", dep.Generation, dep.Status)
	}
	three := int32(3)
	spec := dep.DeepCopy()
	spec.Spec.Replicas = &three
	spec.Status.Replicas = 7
	out, _, err := deploys.Update(ctx, "ns", "web", "", replaceWith(spec), WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if g := out.(*appsv1.Deployment); g.Generation != 2 || g.Status.Replicas != 0 {
		t.Errorf("spec update: generation %d, status replicas %d", g.Generation, g.Status.Replicas)
	}
	status := out.(*appsv1.Deployment).DeepCopy()
	status.Status.Replicas = 3
	status.Spec.Replicas = nil
	out, _, err = deploys.Update(ctx, "ns", "web", "status", replaceWith(status), WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if g := out.(*appsv1.Deployment); g.Generation != 2 || g.Status.Replicas != 3 || g.Spec.Replicas == nil || *g.Spec.Replicas != 3 {
		t.Errorf("status update: generation %d, status %d, spec %v", g.Generation, g.Status.Replicas, g.Spec.Replicas)
	}
}

func TestDeleteHonoursPreconditionsAndFinalizers(t *testing.T) {
	s := newStores(t, configMaps)[0]
	ctx := context.Background()
	_, err := s.Create(ctx, "ns", &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "held", Finalizers: []string{"example.com/hold"}}}, WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	wrong := "1"
	if _, err := s.Delete(ctx, "ns", "held", &metav1.DeleteOptions{Preconditions: &metav1.Preconditions{ResourceVersion: &wrong}}, WriteOptions{}); !apierrors.IsConflict(err) ||
		!strings.Contains(err.Error(), "Precondition failed: ResourceVersion in precondition: 1") {
		t.Errorf("stale precondition: %v", err)
	}
	out, err := s.Delete(ctx, "ns", "held", nil, WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if o, ok := out.(*corev1.ConfigMap); !ok || o.DeletionTimestamp == nil {
		t.Fatalf("a finalized object must be marked, not removed: %#v", out)
	}
	// Removing the last finalizer removes the object.
	cur, err := s.Get(ctx, "ns", "held")
	if err != nil {
		t.Fatal(err)
	}
	release := cur.DeepCopyObject().(*corev1.ConfigMap)
	release.Finalizers = nil
	if _, _, err := s.Update(ctx, "ns", "held", "", replaceWith(release), WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, "ns", "held"); !apierrors.IsNotFound(err) {
		t.Errorf("after the last finalizer went: %v, want NotFound", err)
	}

	// Orphan propagation adds the orphan finalizer.
	if _, err := s.Create(ctx, "ns", cm("orphaned", nil), WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	orphan := metav1.DeletePropagationOrphan
	out, err = s.Delete(ctx, "ns", "orphaned", &metav1.DeleteOptions{PropagationPolicy: &orphan}, WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if fin := out.(*corev1.ConfigMap).Finalizers; len(fin) != 1 || fin[0] != FinalizerOrphan {
		t.Errorf("finalizers %v, want [orphan]", fin)
	}
	// A plain delete answers a success Status.
	if _, err := s.Create(ctx, "ns", cm("plain", nil), WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	out, err = s.Delete(ctx, "ns", "plain", nil, WriteOptions{})
	if st, ok := out.(*metav1.Status); err != nil || !ok || st.Status != metav1.StatusSuccess || st.Details.Name != "plain" {
		t.Errorf("delete answer %#v %v", out, err)
	}
	if _, err := s.Delete(ctx, "ns", "plain", nil, WriteOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("second delete: %v", err)
	}
}

func TestListSelectorsPagesAndCache(t *testing.T) {
	s := newStores(t, configMaps)[0]
	ctx := context.Background()
	for i, name := range []string{"a", "b", "c", "d", "e"} {
		obj := cm(name, nil)
		obj.Labels = map[string]string{"even": map[bool]string{true: "yes", false: "no"}[i%2 == 0]}
		if _, err := s.Create(ctx, "ns", obj, WriteOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	names := func(l runtime.Object) string {
		var out []string
		for _, it := range l.(*corev1.ConfigMapList).Items {
			out = append(out, it.Name)
		}
		return strings.Join(out, ",")
	}
	l, err := s.List(ctx, "ns", metav1.ListOptions{LabelSelector: "even=yes"})
	if err != nil || names(l) != "a,c,e" {
		t.Errorf("label selector: %v %v", names(l), err)
	}
	l, err = s.List(ctx, "ns", metav1.ListOptions{FieldSelector: "metadata.name=b"})
	if err != nil || names(l) != "b" {
		t.Errorf("field selector: %v %v", names(l), err)
	}
	if _, err := s.List(ctx, "ns", metav1.ListOptions{FieldSelector: "spec.nodeName=x"}); !apierrors.IsBadRequest(err) || !strings.Contains(err.Error(), "field label not supported: spec.nodeName") {
		t.Errorf("unsupported field: %v", err)
	}
	page, err := s.List(ctx, "ns", metav1.ListOptions{Limit: 2})
	if err != nil || names(page) != "a,b" || page.(*corev1.ConfigMapList).Continue == "" {
		t.Fatalf("first page: %v %v", names(page), err)
	}
	rest, err := s.List(ctx, "ns", metav1.ListOptions{Limit: 10, Continue: page.(*corev1.ConfigMapList).Continue})
	if err != nil || names(rest) != "c,d,e" {
		t.Errorf("second page: %v %v", names(rest), err)
	}
	// Not older than the last page: served by the cache once it has seen
	// every create (resourceVersion "0" could answer before it has).
	cached, err := s.List(ctx, "ns", metav1.ListOptions{ResourceVersion: rest.(*corev1.ConfigMapList).ResourceVersion,
		ResourceVersionMatch: metav1.ResourceVersionMatchNotOlderThan})
	if err != nil || names(cached) != "a,b,c,d,e" {
		t.Errorf("from the cache: %v %v", names(cached), err)
	}
	if _, err := s.List(ctx, "ns", metav1.ListOptions{ResourceVersionMatch: metav1.ResourceVersionMatchExact}); !apierrors.IsBadRequest(err) {
		t.Errorf("resourceVersionMatch without resourceVersion: %v", err)
	}
}

func TestWatchFromTheCache(t *testing.T) {
	s := newStores(t, configMaps)[0]
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	first, err := s.Create(ctx, "ns", cm("a", nil), WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	w, err := s.Watch(ctx, "ns", metav1.ListOptions{ResourceVersion: first.GetResourceVersion()})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	if _, err := s.Create(ctx, "ns", cm("b", nil), WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Delete(ctx, "ns", "a", nil, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	var got []string
	for ev := range w.ResultChan() {
		got = append(got, string(ev.Type)+":"+ev.Object.GetName())
		if len(got) == 2 {
			break
		}
	}
	if strings.Join(got, " ") != "ADDED:b DELETED:a" {
		t.Errorf("events %v", got)
	}
	if _, err := s.Watch(ctx, "ns", metav1.ListOptions{FieldSelector: "bad.field=x"}); !apierrors.IsBadRequest(err) {
		t.Errorf("watch with a bad selector: %v", err)
	}
}
