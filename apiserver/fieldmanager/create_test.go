package fieldmanager

import (
	"reflect"
	"strings"
	"testing"
	"time"

	fuzz "github.com/google/gofuzz"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/skiff-dev/skiff/apiserver/scheme"
)

// trackedKinds are every kind of s that is an object with metadata.
func trackedKinds(t *testing.T, s *runtime.Scheme) []Kind {
	t.Helper()
	var kinds []Kind
	for gvk, typ := range s.AllKnownTypes() {
		if strings.HasSuffix(gvk.Kind, "List") || gvk.Version == runtime.APIVersionInternal {
			continue
		}
		if _, ok := typ.FieldByName("ObjectMeta"); !ok {
			continue
		}
		kinds = append(kinds, Kind{GVK: gvk, Subresources: []string{"status"}})
	}
	if len(kinds) < 30 {
		t.Fatalf("only %d kinds with metadata in the scheme", len(kinds))
	}
	return kinds
}

// TestCreateMatchesGeneralUpdate holds the fast path of a create to what
// the general update path records against an empty live object, for every
// kind and random objects of it.
func TestCreateMatchesGeneralUpdate(t *testing.T) {
	s := scheme.New()
	kinds := trackedKinds(t, s)
	m, err := New(nil, s, kinds)
	if err != nil {
		t.Fatal(err)
	}
	f := fuzz.NewWithSeed(1).NilChance(0.3).NumElements(0, 2).MaxDepth(8).Funcs(validValues...)
	const perKind = 40
	var tracked, total int
	for _, k := range kinds {
		for _, sub := range []string{"", "status"} {
			km := m.ForKind(k.GVK, sub)
			for i := range perKind {
				obj, err := s.New(k.GVK)
				if err != nil {
					t.Fatal(err)
				}
				if i > 0 { // the first object of each kind is empty
					f.Fuzz(obj)
				}
				clearManagedFields(t, obj)
				obj.GetObjectKind().SetGroupVersionKind(k.GVK)
				want := generalCreate(t, km, obj.DeepCopyObject())
				got, err := km.Update(nil, obj, "creator")
				if err != nil {
					t.Fatal(err)
				}
				g, w := entriesOfCreate(t, got), entriesOfCreate(t, want)
				if !reflect.DeepEqual(g, w) {
					t.Fatalf("%s %q object %d:\n got %+v\nwant %+v", k.GVK, sub, i, g, w)
				}
				total++
				if len(w) > 0 {
					tracked++
				}
			}
		}
	}
	// Random objects can break the schema (an associative list item
	// without its key), which both paths refuse; most must not.
	if tracked < total*3/4 {
		t.Errorf("only %d of %d random objects were tracked", tracked, total)
	}
	t.Logf("%d kinds, %d of %d objects tracked", len(kinds), tracked, total)
}

// generalCreate tracks obj's create through the general update path.
func generalCreate(t *testing.T, km *KindManager, obj runtime.Object) runtime.Object {
	t.Helper()
	live, err := km.creater.New(km.gvk)
	if err != nil {
		t.Fatal(err)
	}
	out, err := km.fields.Update(live, obj, "creator")
	if err != nil { // logged, and the object goes on untracked
		clearManagedFields(t, obj)
		return obj
	}
	return out
}

func clearManagedFields(t *testing.T, obj runtime.Object) {
	t.Helper()
	a, err := meta.Accessor(obj)
	if err != nil {
		t.Fatal(err)
	}
	a.SetManagedFields(nil)
}

// entriesOfCreate is obj's managedFields without their times.
func entriesOfCreate(t *testing.T, obj runtime.Object) []entry {
	t.Helper()
	a, err := meta.Accessor(obj)
	if err != nil {
		t.Fatal(err)
	}
	var out []entry
	for _, e := range a.GetManagedFields() {
		if e.Time == nil {
			t.Errorf("entry of %q without a time", e.Manager)
		}
		out = append(out, entry{e.Manager, string(e.Operation), e.APIVersion, e.FieldsType, e.Subresource, string(e.FieldsV1.Raw)})
	}
	return out
}

// validValues make the fuzzer fill the types with their own JSON forms as
// decoding would: a decoded object never holds an unencodable quantity.
var validValues = []any{
	func(q *resource.Quantity, c fuzz.Continue) {
		*q = *resource.NewQuantity(c.Int63n(1000), resource.DecimalSI)
	},
	func(v *intstr.IntOrString, c fuzz.Continue) {
		if c.RandBool() {
			*v = intstr.FromInt32(c.Int31n(1000))
		} else {
			*v = intstr.FromString(c.RandString())
		}
	},
	func(tm *metav1.Time, c fuzz.Continue) { *tm = metav1.Unix(c.Int63n(1<<31), 0) },
	func(tm *metav1.MicroTime, c fuzz.Continue) { *tm = metav1.NewMicroTime(time.Unix(c.Int63n(1<<31), 0)) },
	func(r *runtime.RawExtension, c fuzz.Continue) { *r = runtime.RawExtension{} },
	func(f *metav1.FieldsV1, c fuzz.Continue) { *f = metav1.FieldsV1{Raw: []byte("{}")} },
}
