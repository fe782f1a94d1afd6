package registry

import (
	"context"
	"reflect"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/storage"
)

// ServedVersion describes another version of a stored resource: its GVR,
// its empty objects, and the conversions from and to the stored kind.
type ServedVersion struct {
	GVR     schema.GroupVersionResource
	New     func() storage.Object
	NewList func() runtime.Object
	// ToStored and FromStored convert between the served and stored kinds.
	ToStored, FromStored func(storage.Object) storage.Object
}

// ServeAs returns a Resource serving stored (kept as it is) in another
// version: the stored kind's strategy, status rules and table apply, on
// converted objects.
func ServeAs(stored *Resource, v ServedVersion) *Resource {
	r := *stored
	r.GVR, r.New, r.NewList = v.GVR, v.New, v.NewList
	r.Storage = &StorageVersion{New: stored.New, To: v.ToStored, From: v.FromStored}
	c := converter{to: v.ToStored, from: v.FromStored}
	r.Strategy = convertedStrategy{c: c, s: stored.Strategy}
	if stored.Status != nil {
		r.Status = convertedUpdate{c: c, s: stored.Status}
	}
	r.Subresources = nil
	if stored.GetAttrs != nil {
		r.GetAttrs = func(obj storage.Object) (labels.Set, fields.Set, error) { return stored.GetAttrs(c.to(obj)) }
	}
	if stored.Table != nil {
		r.Table = func(objs []storage.Object, wide bool) (*metav1.Table, error) {
			conv := make([]storage.Object, len(objs))
			for i, o := range objs {
				conv[i] = c.to(o)
			}
			return stored.Table(conv, wide)
		}
	}
	return &r
}

type converter struct {
	to, from func(storage.Object) storage.Object
}

// apply runs f on obj's stored form and writes the result back into obj.
func (c converter) apply(obj storage.Object, f func(storage.Object)) {
	stored := c.to(obj)
	f(stored)
	back := c.from(stored)
	reflect.ValueOf(obj).Elem().Set(reflect.ValueOf(back).Elem())
}

type convertedStrategy struct {
	c converter
	s Strategy
}

func (s convertedStrategy) Default(obj storage.Object) { s.c.apply(obj, s.s.Default) }

func (s convertedStrategy) PrepareForCreate(ctx context.Context, obj storage.Object) {
	s.c.apply(obj, func(o storage.Object) { s.s.PrepareForCreate(ctx, o) })
}

func (s convertedStrategy) Validate(ctx context.Context, obj storage.Object) field.ErrorList {
	return s.s.Validate(ctx, s.c.to(obj))
}

func (s convertedStrategy) PrepareForUpdate(ctx context.Context, obj, old storage.Object) {
	oldStored := s.c.to(old)
	s.c.apply(obj, func(o storage.Object) { s.s.PrepareForUpdate(ctx, o, oldStored) })
}

func (s convertedStrategy) ValidateUpdate(ctx context.Context, obj, old storage.Object) field.ErrorList {
	return s.s.ValidateUpdate(ctx, s.c.to(obj), s.c.to(old))
}

type convertedUpdate struct {
	c converter
	s UpdateStrategy
}

func (s convertedUpdate) PrepareForUpdate(ctx context.Context, obj, old storage.Object) {
	oldStored := s.c.to(old)
	s.c.apply(obj, func(o storage.Object) { s.s.PrepareForUpdate(ctx, o, oldStored) })
}

func (s convertedUpdate) ValidateUpdate(ctx context.Context, obj, old storage.Object) field.ErrorList {
	return s.s.ValidateUpdate(ctx, s.c.to(obj), s.c.to(old))
}
