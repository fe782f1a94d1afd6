package core

import (
	"context"
	"fmt"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/validation/path"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/duration"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

func eventsResource(now func() time.Time, ttl time.Duration) *registry.Resource {
	seconds := int64(ttl / time.Second)
	return &registry.Resource{
		GVR:           gvr("events"),
		Kind:          "Event",
		SingularName:  "event",
		Namespaced:    true,
		ShortNames:    []string{"ev"},
		StoragePrefix: "events",
		New:           func() storage.Object { return &corev1.Event{} },
		NewList:       func() runtime.Object { return &corev1.EventList{} },
		Strategy:      eventStrategy{},
		GetAttrs:      eventAttrs,
		SelectableFields: []string{
			"involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
			"involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion",
			"involvedObject.fieldPath", "reason", "reportingComponent", "source", "type",
		},
		Table:               EventTable(now),
		TTL:                 func(storage.Object) int64 { return seconds },
		AllowCreateOnUpdate: true,
	}
}

// eventStrategy: core/v1 events get upstream's legacy validation on create
// and update alike; nothing is defaulted or cleared.
type eventStrategy struct{ registry.Plain }

// ValidateName: core/v1 event names need only be usable in a path, as
// upstream validates no name rule of its own for them.
func (eventStrategy) ValidateName(name string, _ bool) []string {
	return path.IsValidPathSegmentName(name)
}

// Validate checks the event.
func (eventStrategy) Validate(_ context.Context, obj storage.Object) field.ErrorList {
	e, ok := obj.(*corev1.Event)
	if !ok {
		return wrongType(obj)
	}
	return validateEvent(e)
}

// ValidateUpdate checks the new event as on create.
func (eventStrategy) ValidateUpdate(_ context.Context, obj, old storage.Object) field.ErrorList {
	e, ok := obj.(*corev1.Event)
	if !ok {
		return wrongType(obj, old)
	}
	return validateEvent(e)
}

func eventAttrs(obj storage.Object) (labels.Set, fields.Set, error) {
	e, ok := obj.(*corev1.Event)
	if !ok {
		return nil, nil, unexpectedType(obj)
	}
	source := e.Source.Component
	if source == "" {
		source = e.ReportingController
	}
	f := registry.MetaFields(obj)
	f["involvedObject.kind"] = e.InvolvedObject.Kind
	f["involvedObject.namespace"] = e.InvolvedObject.Namespace
	f["involvedObject.name"] = e.InvolvedObject.Name
	f["involvedObject.uid"] = string(e.InvolvedObject.UID)
	f["involvedObject.apiVersion"] = e.InvolvedObject.APIVersion
	f["involvedObject.resourceVersion"] = e.InvolvedObject.ResourceVersion
	f["involvedObject.fieldPath"] = e.InvolvedObject.FieldPath
	f["reason"] = e.Reason
	f["reportingComponent"] = e.ReportingController
	f["source"] = source
	f["type"] = e.Type
	return labels.Set(e.Labels), f, nil
}

var (
	eventDoc     = corev1.Event{}.SwaggerDoc()
	eventColumns = []metav1.TableColumnDefinition{
		{Name: "Last Seen", Type: "string", Description: eventDoc["lastTimestamp"]},
		{Name: "Type", Type: "string", Description: eventDoc["type"]},
		{Name: "Reason", Type: "string", Description: eventDoc["reason"]},
		{Name: "Object", Type: "string", Description: eventDoc["involvedObject"]},
		{Name: "Subobject", Type: "string", Priority: 1, Description: corev1.ObjectReference{}.SwaggerDoc()["fieldPath"]},
		{Name: "Source", Type: "string", Priority: 1, Description: eventDoc["source"]},
		{Name: "Message", Type: "string", Description: eventDoc["message"]},
		{Name: "First Seen", Type: "string", Priority: 1, Description: eventDoc["firstTimestamp"]},
		{Name: "Count", Type: "string", Priority: 1, Description: eventDoc["count"]},
		{Name: "Name", Type: "string", Priority: 1, Format: "name", Description: objectMetaDoc["name"]},
	}
)

// EventTable is upstream's kubectl get table of core/v1 Events, ages
// taken at now(): LAST SEEN, TYPE, REASON, OBJECT, MESSAGE, and with wide
// SUBOBJECT, SOURCE, FIRST SEEN, COUNT, NAME. events.k8s.io/v1 Events are
// shown with it after conversion to core/v1, as upstream prints both APIs
// from its internal Event.
func EventTable(now func() time.Time) registry.TableFunc {
	return registry.Rows(eventColumns, now, eventRow)
}

func eventRow(obj storage.Object, now time.Time) ([]any, error) {
	e, ok := obj.(*corev1.Event)
	if !ok || e == nil {
		return nil, unexpectedType(obj)
	}
	first := since(e.FirstTimestamp.Time, now)
	if e.FirstTimestamp.IsZero() {
		first = since(e.EventTime.Time, now)
	}
	last := since(e.LastTimestamp.Time, now)
	if e.LastTimestamp.IsZero() {
		last = first
	}
	count := e.Count
	switch {
	case e.Series != nil:
		last = since(e.Series.LastObservedTime.Time, now)
		count = e.Series.Count
	case count == 0:
		count = 1 // singleton events of the new API carry no count
	}
	target := strings.ToLower(e.InvolvedObject.Kind)
	if e.InvolvedObject.Name != "" {
		target = fmt.Sprintf("%s/%s", target, e.InvolvedObject.Name)
	}
	return []any{
		last, e.Type, e.Reason, target, e.InvolvedObject.FieldPath,
		eventSource(e), strings.TrimSpace(e.Message), first, int64(count), e.Name,
	}, nil
}

// since is a timestamp's age, "<unknown>" when unset.
func since(t time.Time, now time.Time) string {
	if t.IsZero() {
		return "<unknown>"
	}
	return duration.HumanDuration(now.Sub(t))
}

// eventSource is "component, host", falling back on the reporting
// controller and instance.
func eventSource(e *corev1.Event) string {
	component := firstNonEmpty(e.Source.Component, e.ReportingController)
	instance := firstNonEmpty(e.Source.Host, e.ReportingInstance)
	if instance == "" {
		return component
	}
	return component + ", " + instance
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
