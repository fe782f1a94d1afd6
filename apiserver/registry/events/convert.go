package events

import (
	corev1 "k8s.io/api/core/v1"
	eventsv1 "k8s.io/api/events/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/skiff-dev/skiff/apiserver/storage"
)

var (
	coreGVK   = corev1.SchemeGroupVersion.WithKind("Event")
	eventsGVK = eventsv1.SchemeGroupVersion.WithKind("Event")
)

// ToCore is the stored form of an events.k8s.io/v1 Event.
func ToCore(obj storage.Object) storage.Object {
	e, ok := obj.(*eventsv1.Event)
	if !ok || e == nil {
		return obj
	}
	c := &corev1.Event{
		ObjectMeta:          *e.ObjectMeta.DeepCopy(),
		InvolvedObject:      e.Regarding,
		Reason:              e.Reason,
		Message:             e.Note,
		Source:              e.DeprecatedSource,
		FirstTimestamp:      e.DeprecatedFirstTimestamp,
		LastTimestamp:       e.DeprecatedLastTimestamp,
		Count:               e.DeprecatedCount,
		Type:                e.Type,
		EventTime:           e.EventTime,
		Action:              e.Action,
		Related:             e.Related.DeepCopy(),
		ReportingController: e.ReportingController,
		ReportingInstance:   e.ReportingInstance,
	}
	if e.Series != nil {
		c.Series = &corev1.EventSeries{Count: e.Series.Count, LastObservedTime: e.Series.LastObservedTime}
	}
	c.TypeMeta = metav1.TypeMeta{APIVersion: coreGVK.GroupVersion().String(), Kind: coreGVK.Kind}
	return c
}

// FromCore is a stored Event as events.k8s.io/v1 shows it.
func FromCore(obj storage.Object) storage.Object {
	c, ok := obj.(*corev1.Event)
	if !ok || c == nil {
		return obj
	}
	e := &eventsv1.Event{
		ObjectMeta:               *c.ObjectMeta.DeepCopy(),
		EventTime:                c.EventTime,
		ReportingController:      c.ReportingController,
		ReportingInstance:        c.ReportingInstance,
		Action:                   c.Action,
		Reason:                   c.Reason,
		Regarding:                c.InvolvedObject,
		Related:                  c.Related.DeepCopy(),
		Note:                     c.Message,
		Type:                     c.Type,
		DeprecatedSource:         c.Source,
		DeprecatedFirstTimestamp: c.FirstTimestamp,
		DeprecatedLastTimestamp:  c.LastTimestamp,
		DeprecatedCount:          c.Count,
	}
	if c.Series != nil {
		e.Series = &eventsv1.EventSeries{Count: c.Series.Count, LastObservedTime: c.Series.LastObservedTime}
	}
	e.TypeMeta = metav1.TypeMeta{APIVersion: eventsGVK.GroupVersion().String(), Kind: eventsGVK.Kind}
	return e
}
