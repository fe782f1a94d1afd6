package apps

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	apimachineryvalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/registry/betadocs"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

func controllerRevisionResource(now func() time.Time) *registry.Resource {
	return &registry.Resource{
		GVR:           appsv1.SchemeGroupVersion.WithResource("controllerrevisions"),
		Kind:          "ControllerRevision",
		SingularName:  "controllerrevision",
		Namespaced:    true,
		StoragePrefix: "controllerrevisions",
		New:           func() storage.Object { return &appsv1.ControllerRevision{} },
		NewList:       func() runtime.Object { return &appsv1.ControllerRevisionList{} },
		Strategy:      controllerRevisionStrategy{},
		Table:         controllerRevisionTable(now),
	}
}

// controllerRevisionStrategy: data is required and immutable, the
// revision not negative.
type controllerRevisionStrategy struct{ registry.Plain }

func (controllerRevisionStrategy) Validate(_ context.Context, obj storage.Object) field.ErrorList {
	return validateControllerRevision(obj.(*appsv1.ControllerRevision))
}

func (controllerRevisionStrategy) ValidateUpdate(_ context.Context, obj, old storage.Object) field.ErrorList {
	cr, o := obj.(*appsv1.ControllerRevision), old.(*appsv1.ControllerRevision)
	errs := validateControllerRevision(cr)
	if !sameData(cr.Data, o.Data) {
		errs = append(errs, field.Invalid(field.NewPath("data"), cr.Data, apimachineryvalidation.FieldImmutableErrorMsg))
	}
	return errs
}

func validateControllerRevision(cr *appsv1.ControllerRevision) field.ErrorList {
	var errs field.ErrorList
	if cr.Data.Raw == nil && cr.Data.Object == nil {
		errs = append(errs, field.Required(field.NewPath("data"), "data is mandatory"))
	}
	return append(errs, apimachineryvalidation.ValidateNonnegativeField(cr.Revision, field.NewPath("revision"))...)
}

// sameData compares revision data as JSON documents, so that the same
// data sent with other spacing is not a change.
func sameData(a, b runtime.RawExtension) bool {
	if bytes.Equal(a.Raw, b.Raw) && a.Object == nil && b.Object == nil {
		return true
	}
	var va, vb any
	if err := json.Unmarshal(rawOf(a), &va); err != nil {
		return false
	}
	if err := json.Unmarshal(rawOf(b), &vb); err != nil {
		return false
	}
	return reflect.DeepEqual(va, vb)
}

func rawOf(r runtime.RawExtension) []byte {
	if r.Raw != nil {
		return r.Raw
	}
	if r.Object != nil {
		if b, err := json.Marshal(r.Object); err == nil {
			return b
		}
	}
	return []byte("null")
}

var controllerRevisionColumns = []metav1.TableColumnDefinition{
	registry.NameColumn,
	{Name: "Controller", Type: "string", Description: "Controller of the object"},
	{Name: "Revision", Type: "string", Description: betadocs.ControllerRevisionRevision},
	registry.AgeColumn,
}

func controllerRevisionTable(now func() time.Time) registry.TableFunc {
	return registry.Rows(controllerRevisionColumns, now, controllerRevisionRow)
}

func controllerRevisionRow(obj storage.Object, now time.Time) ([]any, error) {
	cr := obj.(*appsv1.ControllerRevision)
	return []any{cr.Name, controllerOf(cr), cr.Revision, registry.Age(cr.CreationTimestamp, now)}, nil
}

// controllerOf names the controlling owner as "daemonset.apps/name", or
// "<none>".
func controllerOf(obj metav1.Object) string {
	ref := metav1.GetControllerOf(obj)
	if ref == nil {
		return "<none>"
	}
	gv, err := schema.ParseGroupVersion(ref.APIVersion)
	if err != nil {
		return ref.Name
	}
	gk := gv.WithKind(ref.Kind).GroupKind()
	if gk.Empty() {
		return ref.Name
	}
	return strings.ToLower(gk.String()) + "/" + ref.Name
}
