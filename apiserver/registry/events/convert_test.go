package events

import (
	"reflect"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	eventsv1 "k8s.io/api/events/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func full() *eventsv1.Event {
	now := metav1.NewMicroTime(time.Date(2026, 11, 21, 7, 0, 0, 0, time.UTC))
	return &eventsv1.Event{
		TypeMeta:   metav1.TypeMeta{APIVersion: "events.k8s.io/v1", Kind: "Event"},
		ObjectMeta: metav1.ObjectMeta{Name: "e", Namespace: "ns", Labels: map[string]string{"a": "b"}},
		EventTime:  now, Series: &eventsv1.EventSeries{Count: 3, LastObservedTime: now},
		ReportingController: "skiff.dev/x", ReportingInstance: "x-1", Action: "Act", Reason: "Why",
		Regarding: corev1.ObjectReference{Kind: "Pod", Name: "p", Namespace: "ns"},
		Related:   &corev1.ObjectReference{Kind: "Node", Name: "n"}, Note: "hello", Type: "Warning",
		DeprecatedSource: corev1.EventSource{Component: "old"}, DeprecatedCount: 4,
		DeprecatedFirstTimestamp: metav1.NewTime(now.Time), DeprecatedLastTimestamp: metav1.NewTime(now.Time),
	}
}

func TestConversionRoundTrips(t *testing.T) {
	in := full()
	core := ToCore(in).(*corev1.Event)
	if core.Message != "hello" || core.InvolvedObject.Name != "p" || core.ReportingController != "skiff.dev/x" ||
		core.Source.Component != "old" || core.Count != 4 || core.Series.Count != 3 || core.Kind != "Event" || core.APIVersion != "v1" {
		t.Errorf("stored form: %+v", core)
	}
	back := FromCore(core).(*eventsv1.Event)
	if !reflect.DeepEqual(back, in) {
		t.Errorf("round trip changed the event:\n got %+v\nwant %+v", back, in)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*eventsv1.Event)
		want   string
	}{
		{"valid", func(*eventsv1.Event) {}, ""},
		{"no eventTime", func(e *eventsv1.Event) { e.EventTime = metav1.MicroTime{} }, "eventTime: Required value"},
		{"short series", func(e *eventsv1.Event) { e.Series.Count = 1 }, "series.count: Invalid value: 1: should be at least 2"},
		{"no controller", func(e *eventsv1.Event) { e.ReportingController = "" }, "reportingController: Required value"},
		{"long action", func(e *eventsv1.Event) { e.Action = strings.Repeat("a", 129) }, "action: Invalid value: \"\": can have at most 128 characters"},
		{"bad type", func(e *eventsv1.Event) { e.Type = "Sideways" }, `type: Invalid value: "Sideways": has invalid value: Sideways`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := full()
			tt.change(e)
			errs := validate(e)
			if got := errs.ToAggregate(); (tt.want == "") != (got == nil) || (got != nil && !strings.Contains(got.Error(), tt.want)) {
				t.Errorf("validate: %v, want %q", got, tt.want)
			}
		})
	}
}
