package fieldmanager

import (
	"math/rand"
	"reflect"
	"testing"

	fuzz "github.com/google/gofuzz"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/skiff-dev/skiff/apiserver/scheme"
)

// plainStrings rewrites every string in v, map keys too, to one of a few
// short ASCII strings: what the walk writes itself (the fuzzer's strings
// are mostly unicode, which it leaves to the comparison), and few, so
// that list keys collide now and then.
func plainStrings(v reflect.Value, r *rand.Rand) {
	plain := func() string {
		const letters = "abc-./"
		b := make([]byte, r.Intn(3))
		for i := range b {
			b[i] = letters[r.Intn(len(letters))]
		}
		return string(b)
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			plainStrings(v.Elem(), r)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				plainStrings(v.Field(i), r)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			plainStrings(v.Index(i), r)
		}
	case reflect.Map:
		if v.IsNil() {
			return
		}
		out := reflect.MakeMap(v.Type())
		iter := v.MapRange()
		for iter.Next() {
			k := reflect.New(v.Type().Key()).Elem()
			k.Set(iter.Key())
			plainStrings(k, r)
			e := reflect.New(v.Type().Elem()).Elem()
			e.Set(iter.Value())
			plainStrings(e, r)
			out.SetMapIndex(k, e)
		}
		v.Set(out)
	case reflect.String:
		if v.CanSet() {
			v.SetString(plain())
		}
	}
}

// TestWalkMatchesComparison holds the walk to structured-merge-diff's
// comparison for every kind, both endpoints and random objects: where the
// walk answers, its JSON is the comparison's byte for byte; and it
// answers for most objects.
func TestWalkMatchesComparison(t *testing.T) {
	s := scheme.New()
	kinds := trackedKinds(t, s)
	m, err := New(nil, s, kinds)
	if err != nil {
		t.Fatal(err)
	}
	const perKind = 30
	r := rand.New(rand.NewSource(4))
	for _, name := range []string{"plain", "unicode"} {
		f := fuzz.NewWithSeed(3).NilChance(0.3).NumElements(0, 2).MaxDepth(8).Funcs(validValues...)
		var walked, total int
		for _, k := range kinds {
			for _, sub := range []string{"", "status"} {
				c := m.ForKind(k.GVK, sub).create
				for i := range perKind {
					obj, err := s.New(k.GVK)
					if err != nil {
						t.Fatal(err)
					}
					if i > 0 {
						f.Fuzz(obj)
					}
					if name == "plain" {
						plainStrings(reflect.ValueOf(obj), r)
					}
					clearManagedFields(t, obj)
					want, wantErr := c.compared(obj)
					got, ok := walk(c, obj)
					total++
					if !ok {
						continue
					}
					walked++
					if wantErr != nil {
						t.Fatalf("%s %s %q object %d: the comparison failed (%v), the walk wrote %s", name, k.GVK, sub, i, wantErr, got)
					}
					if string(got) != string(want) {
						t.Fatalf("%s %s %q object %d:\n walk %s\n want %s", name, k.GVK, sub, i, got, want)
					}
				}
			}
		}
		t.Logf("%s strings: the walk answered %d of %d objects", name, walked, total)
		if name == "plain" && walked < total*2/3 {
			t.Errorf("%s strings: the walk answered only %d of %d objects", name, walked, total)
		}
	}
}

// walk is c's walk of obj alone, without the comparison to fall back on.
func walk(c *creation, obj runtime.Object) ([]byte, bool) {
	var w fieldsWalk
	ok := c.walk(&w, obj)
	return w.buf, ok
}

// TestWalkAnswersCommonObjects: the objects clients create most are
// walked, not compared.
func TestWalkAnswersCommonObjects(t *testing.T) {
	replicas := int32(2)
	deployment := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "default", Labels: map[string]string{"app": "web"}},
		Spec: appsv1.DeploymentSpec{
			Replicas: &replicas,
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "web"}},
				Spec:       defaultedPod().Spec,
			},
		},
	}
	service := &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "default"},
		Spec: corev1.ServiceSpec{
			Selector: map[string]string{"app": "web"},
			Ports:    []corev1.ServicePort{{Name: "http", Port: 80, Protocol: corev1.ProtocolTCP, TargetPort: intstr.FromInt32(8080)}},
			Type:     corev1.ServiceTypeClusterIP, ClusterIP: "10.0.0.10", ClusterIPs: []string{"10.0.0.10"},
		},
	}
	configMap := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "cm", Namespace: "default"}, Data: map[string]string{"a": "1"}}
	s := scheme.New()
	objs := []runtime.Object{defaultedPod(), deployment, service, configMap}
	var kinds []Kind
	for _, obj := range objs {
		gvks, _, err := s.ObjectKinds(obj)
		if err != nil {
			t.Fatal(err)
		}
		kinds = append(kinds, Kind{GVK: gvks[0], Subresources: []string{"status"}})
	}
	m, err := New(nil, s, kinds)
	if err != nil {
		t.Fatal(err)
	}
	for i, obj := range objs {
		for _, sub := range []string{"", "status"} {
			c := m.ForKind(kinds[i].GVK, sub).create
			got, ok := walk(c, obj)
			if !ok {
				t.Errorf("%s %q: left to the comparison", kinds[i].GVK.Kind, sub)
				continue
			}
			want, err := c.compared(obj)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != string(want) {
				t.Errorf("%s %q:\n walk %s\n want %s", kinds[i].GVK.Kind, sub, got, want)
			}
		}
	}
}
