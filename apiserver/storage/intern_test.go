package storage

import (
	"fmt"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func withFields(raws ...string) *corev1.Pod {
	p := &corev1.Pod{}
	for i, r := range raws {
		e := metav1.ManagedFieldsEntry{Manager: fmt.Sprint("m", i)}
		if r != "-" {
			e.FieldsV1 = &metav1.FieldsV1{Raw: []byte(r)}
		}
		p.ManagedFields = append(p.ManagedFields, e)
	}
	return p
}

func TestFieldSetsAreShared(t *testing.T) {
	var f fieldSets
	a, b := withFields(`{"f:spec":{}}`, "-", `{"f:status":{}}`), withFields(`{"f:spec":{}}`, `{"f:metadata":{}}`)
	f.share(a)
	f.share(b)
	if &a.ManagedFields[0].FieldsV1.Raw[0] != &b.ManagedFields[0].FieldsV1.Raw[0] {
		t.Error("equal field sets are not one copy")
	}
	if string(b.ManagedFields[1].FieldsV1.Raw) != `{"f:metadata":{}}` || string(a.ManagedFields[2].FieldsV1.Raw) != `{"f:status":{}}` {
		t.Error("a field set changed")
	}
	if a.ManagedFields[1].FieldsV1 != nil {
		t.Error("an entry without fields got some")
	}

	// Past the bound nothing new is kept, and what is kept still serves.
	for i := range maxSharedFieldSets + 10 {
		f.share(withFields(fmt.Sprintf(`{"f:x%d":{}}`, i)))
	}
	if len(f.sets) != maxSharedFieldSets {
		t.Errorf("%d sets kept, want the bound %d", len(f.sets), maxSharedFieldSets)
	}
	c := withFields(`{"f:spec":{}}`)
	f.share(c)
	if &c.ManagedFields[0].FieldsV1.Raw[0] != &a.ManagedFields[0].FieldsV1.Raw[0] {
		t.Error("a kept set is no longer shared")
	}
}
