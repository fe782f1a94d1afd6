package fieldmanager

import (
	"testing"

	corev1 "k8s.io/api/core/v1"

	"github.com/skiff-dev/skiff/apiserver/scheme"
)

// FuzzApply checks that no apply body panics, against a missing and a
// stored object. Its seeds run with the other tests.
func FuzzApply(f *testing.F) {
	for _, seed := range []string{
		applyConfigMap + "  a: \"1\"\n",
		`{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","managedFields":[{"manager":5}]}}`,
		`{"apiVersion":"v1","kind":"ConfigMap","metadata":"x"}`,
		`{"apiVersion":5,"kind":["ConfigMap"]}`,
		`{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","labels":{"a":null},"finalizers":[null,{"a":1}]},"data":{"a":{"b":1}}}`,
		`{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","ownerReferences":[{"uid":"1"},{"uid":"1"}]},"binaryData":{"a":"!!"}}`,
		`{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","ownerReferences":[{"name":"no-uid"}]},"data":null}`,
		"null", "", "[]", "1e400", "&a [*a]", "a: &a [*a, *a]\nb: *a",
	} {
		f.Add([]byte(seed), false)
	}
	m, err := New(nil, scheme.New(), []Kind{{GVK: configMapGVK}})
	if err != nil {
		f.Fatal(err)
	}
	km := m.ForKind(configMapGVK, "")
	stored, err := km.Update(nil, configMap(map[string]string{"a": "1"}), "kubectl-create")
	if err != nil {
		f.Fatal(err)
	}
	withUID(stored.(*corev1.ConfigMap))
	f.Fuzz(func(t *testing.T, patch []byte, force bool) {
		_, _ = km.Apply(nil, patch, "ssa", force)
		_, _ = km.Apply(stored.DeepCopyObject(), patch, "ssa", force)
	})
}
