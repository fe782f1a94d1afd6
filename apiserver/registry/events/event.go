package events

import (
	"context"
	"strconv"
	"time"

	corev1 "k8s.io/api/core/v1"
	eventsv1 "k8s.io/api/events/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/registry/core"
	"github.com/skiff-dev/skiff/apiserver/registry/validname"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

// Upstream's limits on an Event's fields.
const (
	reportingInstanceLengthLimit = 128
	actionLengthLimit            = 128
	reasonLengthLimit            = 128
	noteLengthLimit              = 1024
)

// Resource is events.k8s.io/v1 events, kept with core/v1 Events (the same
// etcd keys) for ttl, and shown by kubectl get with core/v1 Events' table.
func Resource(ttl time.Duration) *registry.Resource { return resource(time.Now, ttl) }

// resource is Resource with its table's ages taken at now().
func resource(now func() time.Time, ttl time.Duration) *registry.Resource {
	return &registry.Resource{
		GVR:           schema.GroupVersionResource{Group: "events.k8s.io", Version: "v1", Resource: "events"},
		Kind:          "Event",
		SingularName:  "event",
		Namespaced:    true,
		ShortNames:    []string{"ev"},
		StoragePrefix: "events",
		New:           func() storage.Object { return &eventsv1.Event{} },
		NewList:       func() runtime.Object { return &eventsv1.EventList{} },
		Storage: &registry.StorageVersion{
			New: func() storage.Object { return &corev1.Event{} }, To: ToCore, From: FromCore,
		},
		Strategy:            strategy{},
		GetAttrs:            attrs,
		SelectableFields:    []string{"regarding.kind", "regarding.namespace", "regarding.name", "regarding.uid", "reason", "reportingController", "type"},
		Table:               table(core.EventTable(now)),
		TTL:                 func(storage.Object) int64 { return int64(ttl.Seconds()) },
		AllowCreateOnUpdate: true,
	}
}

func attrs(obj storage.Object) (labels.Set, fields.Set, error) {
	e, ok := obj.(*eventsv1.Event)
	if !ok {
		return labels.Set(obj.GetLabels()), registry.MetaFields(obj), nil
	}
	f := registry.MetaFields(obj)
	f["regarding.kind"], f["regarding.namespace"], f["regarding.name"] = e.Regarding.Kind, e.Regarding.Namespace, e.Regarding.Name
	f["regarding.uid"], f["reason"], f["reportingController"], f["type"] = string(e.Regarding.UID), e.Reason, e.ReportingController, e.Type
	return labels.Set(e.Labels), f, nil
}

type strategy struct{ registry.Plain }

// ValidateName: event names need only be path-safe, as upstream's.
func (strategy) ValidateName(string, bool) []string { return nil }

func (strategy) Validate(_ context.Context, obj storage.Object) field.ErrorList {
	e, ok := obj.(*eventsv1.Event)
	if !ok {
		return nil
	}
	return validate(e)
}

func (strategy) ValidateUpdate(_ context.Context, obj, _ storage.Object) field.ErrorList {
	e, ok := obj.(*eventsv1.Event)
	if !ok {
		return nil
	}
	return validate(e)
}

// validate checks an events.k8s.io/v1 Event as upstream does for events of
// that API.
func validate(e *eventsv1.Event) field.ErrorList {
	var errs field.ErrorList
	if e.EventTime.Time.IsZero() {
		errs = append(errs, field.Required(field.NewPath("eventTime"), ""))
	}
	if e.Series != nil {
		if e.Series.Count < 2 {
			errs = append(errs, field.Invalid(field.NewPath("series", "count"), e.Series.Count, "should be at least 2"))
		}
		if e.Series.LastObservedTime.Time.IsZero() {
			errs = append(errs, field.Required(field.NewPath("series", "lastObservedTime"), ""))
		}
	}
	if e.ReportingController == "" {
		errs = append(errs, field.Required(field.NewPath("reportingController"), ""))
	}
	for _, msg := range validname.IsQualifiedName(e.ReportingController) {
		errs = append(errs, field.Invalid(field.NewPath("reportingController"), e.ReportingController, msg))
	}
	check := func(path, v string, limit int) {
		switch {
		case v == "":
			errs = append(errs, field.Required(field.NewPath(path), ""))
		case len(v) > limit:
			errs = append(errs, field.Invalid(field.NewPath(path), "", "can have at most "+strconv.Itoa(limit)+" characters"))
		}
	}
	check("reportingInstance", e.ReportingInstance, reportingInstanceLengthLimit)
	check("action", e.Action, actionLengthLimit)
	check("reason", e.Reason, reasonLengthLimit)
	if len(e.Note) > noteLengthLimit {
		errs = append(errs, field.Invalid(field.NewPath("note"), "", "can have at most 1024 characters"))
	}
	if e.Type != corev1.EventTypeNormal && e.Type != corev1.EventTypeWarning {
		errs = append(errs, field.Invalid(field.NewPath("type"), e.Type, "has invalid value: "+e.Type))
	}
	return errs
}
