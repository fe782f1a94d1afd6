package registry

import (
	"fmt"
	"reflect"

	"k8s.io/apimachinery/pkg/conversion"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/skiff-dev/skiff/apiserver/storage"
)

// AddConversions registers with s the conversions of every resource that
// is served in one version and stored in another (ServeAs), both ways, so
// that the scheme converts between them as upstream's converts between
// versions: the field manager needs it to carry managedFields written
// through one version over a write through the other.
func AddConversions(s *runtime.Scheme, resources []*Resource) error {
	for _, r := range resources {
		if r.Storage == nil {
			continue
		}
		served, stored := r.New(), r.Storage.New()
		if err := s.AddConversionFunc(served, stored, convertInto(r.Storage.To)); err != nil {
			return fmt.Errorf("%s: conversion to its stored kind: %w", r.GVR, err)
		}
		if err := s.AddConversionFunc(stored, served, convertInto(r.Storage.From)); err != nil {
			return fmt.Errorf("%s: conversion from its stored kind: %w", r.GVR, err)
		}
	}
	return nil
}

// convertInto adapts a conversion that returns a new object to the
// scheme's, which fills the object it is given.
func convertInto(convert func(storage.Object) storage.Object) conversion.ConversionFunc {
	return func(in, out any, _ conversion.Scope) error {
		obj, ok := in.(storage.Object)
		if !ok {
			return fmt.Errorf("convert %T: not an object with metadata", in)
		}
		converted := reflect.ValueOf(convert(obj))
		target := reflect.ValueOf(out)
		if converted.Type() != target.Type() {
			return fmt.Errorf("convert %T: got %s, want %s", in, converted.Type(), target.Type())
		}
		target.Elem().Set(converted.Elem())
		return nil
	}
}
