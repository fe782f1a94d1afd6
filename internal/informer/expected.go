package informer

import (
	"fmt"
	"reflect"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// expectedType is the type a reflector's objects must have; the zero value
// accepts anything.
type expectedType struct {
	name string
	typ  reflect.Type
	gvk  schema.GroupVersionKind // for unstructured objects
}

func newExpectedType(example Object) expectedType {
	if example == nil {
		return expectedType{name: "objects"}
	}
	e := expectedType{typ: reflect.TypeOf(example), name: fmt.Sprintf("%T", example)}
	if _, ok := example.(*unstructured.Unstructured); ok {
		e.gvk = example.GetObjectKind().GroupVersionKind()
		if !e.gvk.Empty() {
			e.name = e.gvk.String()
		}
	}
	return e
}

func (e expectedType) check(obj runtime.Object) error {
	if e.typ == nil {
		return nil
	}
	if got := reflect.TypeOf(obj); got != e.typ {
		return fmt.Errorf("expected %v, got %v", e.typ, got)
	}
	if !e.gvk.Empty() {
		if got := obj.GetObjectKind().GroupVersionKind(); got != e.gvk {
			return fmt.Errorf("expected %v, got %v", e.gvk, got)
		}
	}
	return nil
}
