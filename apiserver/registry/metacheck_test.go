package registry

import (
	"math/rand/v2"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// fullMetaErrors is what validateMeta returned before plainMeta: the whole
// of apimachinery's validation.
func (s *Store) fullMetaErrors(obj *corev1.ConfigMap) field.ErrorList {
	return validation.ValidateObjectMetaAccessor(obj, s.res.Namespaced, s.nameValidator(), field.NewPath("metadata"))
}

// inPlainScope: metadata plainMeta decides itself, rather than leaving to
// the full validation.
func inPlainScope(m *metav1.ObjectMeta) bool {
	if len(m.OwnerReferences) > 0 || len(m.Finalizers) > 0 {
		return false
	}
	for _, e := range m.ManagedFields {
		for _, r := range e.Manager {
			if r >= 0x7f {
				return false
			}
		}
	}
	return true
}

func TestPlainMetaAgreesWithApimachinery(t *testing.T) {
	stores := map[string]*Store{
		"namespaced": {res: &Resource{Namespaced: true}},
		"cluster":    {res: &Resource{Namespaced: false}},
	}
	rng := rand.New(rand.NewPCG(1, 2))
	plain := map[string]int{}
	for i := 0; i < 100000; i++ {
		obj := &corev1.ConfigMap{ObjectMeta: randomMeta(rng)}
		for scope, s := range stores {
			errs := s.fullMetaErrors(obj)
			got := s.plainMeta(obj)
			if got && len(errs) > 0 {
				t.Fatalf("%s: plainMeta passes %#v, apimachinery finds %v", scope, obj.ObjectMeta, errs)
			}
			if !got && len(errs) == 0 && inPlainScope(&obj.ObjectMeta) {
				t.Fatalf("%s: plainMeta leaves valid %#v to the full validation", scope, obj.ObjectMeta)
			}
			if got {
				plain[scope]++
			}
		}
	}
	// Both verdicts must be common, or the comparison says little.
	for scope := range stores {
		if n := plain[scope]; n < 5000 || n > 95000 {
			t.Errorf("%s: plainMeta passed %d of 100000 random metadata; the generator should give both verdicts often", scope, n)
		}
	}
}

func TestPlainMetaPassesTypicalObjects(t *testing.T) {
	s := &Store{res: &Resource{Namespaced: true}}
	for _, m := range []metav1.ObjectMeta{
		{Name: "pod-0000001", Namespace: "bench", Labels: map[string]string{"app": "bench"}},
		{Name: "web-7d4b9c-x2x9k", GenerateName: "web-7d4b9c-", Namespace: "default",
			Labels:        map[string]string{"app.kubernetes.io/name": "web", "pod-template-hash": "7d4b9c"},
			Annotations:   map[string]string{"kubectl.kubernetes.io/last-applied-configuration": `{"apiVersion":"v1"}`},
			ManagedFields: []metav1.ManagedFieldsEntry{{Manager: "kubectl-client-side-apply", Operation: metav1.ManagedFieldsOperationUpdate, FieldsType: "FieldsV1"}}},
		{Name: "a.b-c.d", Namespace: "kube-system", Annotations: map[string]string{"Example.COM/Key_1": ""}},
	} {
		if !s.plainMeta(&corev1.ConfigMap{ObjectMeta: m}) {
			t.Errorf("plainMeta leaves %+v to the full validation", m)
		}
	}
}

// A kind with its own name rule always gets the full validation.
func TestPlainMetaLeavesOwnNameRules(t *testing.T) {
	s := &Store{res: &Resource{Namespaced: true, Strategy: ownNames{}}}
	if s.plainMeta(&corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "a", Namespace: "b"}}) {
		t.Error("plainMeta decided for a kind with its own name rule")
	}
}

type ownNames struct{ Strategy }

func (ownNames) ValidateName(string, bool) []string { return nil }

// randomMeta draws metadata near the rules' edges: names from a small
// alphabet of valid and invalid characters, lengths around each limit,
// prefixes and dots, and now and then every kind of field the rules check.
func randomMeta(rng *rand.Rand) metav1.ObjectMeta {
	m := metav1.ObjectMeta{Name: randomName(rng, true), Namespace: randomName(rng, false)}
	if rng.IntN(2) == 0 {
		m.Namespace = ""
	}
	if rng.IntN(4) == 0 {
		m.GenerateName = randomName(rng, true) + []string{"", "-", "--", "."}[rng.IntN(4)]
	}
	if rng.IntN(30) == 0 {
		m.Name = ""
	}
	if rng.IntN(50) == 0 {
		m.Generation = -1
	}
	if n := rng.IntN(3); n > 0 {
		m.Labels = map[string]string{}
		for range n {
			m.Labels[randomKey(rng)] = randomName(rng, rng.IntN(2) == 0)
		}
	}
	if rng.IntN(3) == 0 {
		m.Annotations = map[string]string{randomKey(rng): ""}
		if rng.IntN(10) == 0 {
			m.Annotations[randomKey(rng)] = strings.Repeat("x", 256<<10-rng.IntN(64))
		}
	}
	if rng.IntN(40) == 0 {
		m.Finalizers = []string{"kubernetes"}
	}
	if rng.IntN(40) == 0 {
		m.OwnerReferences = []metav1.OwnerReference{{APIVersion: "v1", Kind: "Pod", Name: "p", UID: "u"}}
	}
	if rng.IntN(2) == 0 {
		e := metav1.ManagedFieldsEntry{Manager: "kubectl", Operation: metav1.ManagedFieldsOperationUpdate, FieldsType: "FieldsV1"}
		switch rng.IntN(12) {
		case 0:
			e.Operation = "Patch"
		case 1:
			e.FieldsType = "FieldsV2"
		case 2:
			e.Manager = strings.Repeat("m", 120+rng.IntN(16))
		case 3:
			e.Manager = []string{"tab\t", "é", "\x7f", "ok ~"}[rng.IntN(4)]
		case 4:
			e.Subresource = strings.Repeat("s", 250+rng.IntN(12))
		case 5:
			e.FieldsType, e.Operation = "", metav1.ManagedFieldsOperationApply
		}
		m.ManagedFields = []metav1.ManagedFieldsEntry{e}
	}
	return m
}

// randomName is mostly a valid name (without dots unless dots), sometimes
// with a character or a length that is not.
func randomName(rng *rand.Rand, dots bool) string {
	valid := "abz09-"
	if dots {
		valid += "."
	}
	const invalid = "A_/%é \x00."
	n := []int{1, 2, 3, 8, 62, 63, 64, 252, 253, 254}[rng.IntN(10)]
	if rng.IntN(6) > 0 {
		n = 1 + rng.IntN(12)
	}
	var b strings.Builder
	clean := rng.IntN(4) > 0 // mostly a valid name: alphanumeric at both ends
	for i := range n {
		switch {
		case clean && (i == 0 || i == n-1):
			b.WriteByte("az09"[rng.IntN(4)])
		case clean && b.Len() > 0 && b.String()[b.Len()-1] == '.':
			b.WriteByte('b') // no empty label
		case rng.IntN(100) == 0:
			b.WriteByte(invalid[rng.IntN(len(invalid))])
		default:
			b.WriteByte(valid[rng.IntN(len(valid))])
		}
	}
	if rng.IntN(20) == 0 {
		return []string{".", "..", ""}[rng.IntN(3)]
	}
	return b.String()
}

// randomKey is a qualified name, with or without a prefix, or not quite.
func randomKey(rng *rand.Rand) string {
	name := randomName(rng, rng.IntN(2) == 0)
	if rng.IntN(4) == 0 {
		name = strings.ToUpper(name[:len(name)/2]) + strings.ReplaceAll(name[len(name)/2:], "-", "_")
	}
	switch rng.IntN(5) {
	case 0:
		return randomName(rng, true) + "/" + name
	case 1:
		return strings.ToUpper(randomName(rng, true)) + "/" + name
	case 2:
		return "a/b/" + name
	default:
		return name
	}
}

// BenchmarkValidateMeta: a created pod's metadata, by plainMeta and by the
// full validation it spares.
func BenchmarkValidateMeta(b *testing.B) {
	s := &Store{res: &Resource{Namespaced: true}}
	obj := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "pod-0000001", Namespace: "bench",
		Labels:        map[string]string{"app": "bench"},
		ManagedFields: []metav1.ManagedFieldsEntry{{Manager: "bench", Operation: metav1.ManagedFieldsOperationUpdate, FieldsType: "FieldsV1"}}}}
	b.Run("plain", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if !s.plainMeta(obj) {
				b.Fatal("not plain")
			}
		}
	})
	b.Run("full", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if errs := s.fullMetaErrors(obj); len(errs) > 0 {
				b.Fatal(errs)
			}
		}
	})
}
