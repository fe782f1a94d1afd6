package registry

import (
	"context"
	"reflect"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/duration"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/storage"
)

// Helpers for kinds' strategies.

// Age formats a timestamp as the AGE column does ("5m", "3d").
func Age(t metav1.Time, now time.Time) string {
	if t.IsZero() {
		return "<unknown>"
	}
	return duration.HumanDuration(now.Sub(t.Time))
}

// ResetStatus clears obj's Status field (users may not set it on create).
func ResetStatus(obj storage.Object) {
	if f := field0(obj, "Status"); f.IsValid() && f.CanSet() {
		f.Set(reflect.Zero(f.Type()))
	}
}

// KeepStatus copies old's Status into obj (the main resource may not
// change it).
func KeepStatus(obj, old storage.Object) { copyField(obj, old, "Status") }

// KeepSpec copies old's Spec into obj (the status subresource may not
// change it).
func KeepSpec(obj, old storage.Object) { copyField(obj, old, "Spec") }

func copyField(dst, src storage.Object, name string) {
	d, s := field0(dst, name), field0(src, name)
	if d.IsValid() && s.IsValid() && d.CanSet() && d.Type() == s.Type() {
		d.Set(s)
	}
}

func field0(obj storage.Object, name string) reflect.Value {
	v := reflect.ValueOf(obj)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return reflect.Value{}
	}
	v = v.Elem()
	if v.Kind() != reflect.Struct {
		return reflect.Value{}
	}
	return v.FieldByName(name)
}

// Plain is the strategy of kinds with no rules beyond metadata's: no
// defaults, nothing cleared, no validation of their own. Embed it and
// override what a kind needs.
type Plain struct{}

// Default does nothing.
func (Plain) Default(storage.Object) {}

// PrepareForCreate does nothing.
func (Plain) PrepareForCreate(context.Context, storage.Object) {}

// Validate finds nothing wrong.
func (Plain) Validate(context.Context, storage.Object) field.ErrorList { return nil }

// PrepareForUpdate does nothing.
func (Plain) PrepareForUpdate(context.Context, storage.Object, storage.Object) {}

// ValidateUpdate finds nothing wrong.
func (Plain) ValidateUpdate(context.Context, storage.Object, storage.Object) field.ErrorList {
	return nil
}

// WithStatus is the base strategy of kinds with a status subresource: the
// status is cleared on create and kept on updates of the main resource;
// generation starts at 1 and moves with the spec.
type WithStatus struct{ Plain }

// PrepareForCreate clears the status and starts the generation.
func (WithStatus) PrepareForCreate(_ context.Context, obj storage.Object) {
	ResetStatus(obj)
	obj.SetGeneration(1)
}

// PrepareForUpdate keeps the old status.
func (WithStatus) PrepareForUpdate(_ context.Context, obj, old storage.Object) { KeepStatus(obj, old) }

// StatusOnly is the status subresource's strategy: only the status
// changes; the spec and metadata other than labels and annotations stay.
type StatusOnly struct{}

// PrepareForUpdate keeps the old spec and server-owned metadata.
func (StatusOnly) PrepareForUpdate(_ context.Context, obj, old storage.Object) {
	KeepSpec(obj, old)
	obj.SetOwnerReferences(old.GetOwnerReferences())
	obj.SetFinalizers(old.GetFinalizers())
}

// ValidateUpdate finds nothing wrong.
func (StatusOnly) ValidateUpdate(context.Context, storage.Object, storage.Object) field.ErrorList {
	return nil
}
