package events

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	eventsv1 "k8s.io/api/events/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/registry/core"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

var (
	tableNow = time.Date(2026, 11, 21, 7, 0, 0, 0, time.UTC)
	clock    = func() time.Time { return tableNow }
)

// ago is the time d before the test clock.
func ago(d time.Duration) metav1.Time { return metav1.NewTime(tableNow.Add(-d)) }

func microAgo(d time.Duration) metav1.MicroTime { return metav1.NewMicroTime(tableNow.Add(-d)) }

func TestTableRows(t *testing.T) {
	pod := corev1.ObjectReference{Kind: "Pod", Namespace: "ns", Name: "web-0", FieldPath: "spec.containers{app}"}
	tests := []struct {
		name string
		e    eventsv1.Event
		// wide is the -o wide row: LAST SEEN, TYPE, REASON, OBJECT,
		// SUBOBJECT, SOURCE, MESSAGE, FIRST SEEN, COUNT, NAME.
		wide []any
	}{
		{"eventTime only", eventsv1.Event{
			EventTime: microAgo(5 * time.Minute), ReportingController: "example.com/ctl", ReportingInstance: "ctl-1",
			Regarding: pod, Type: "Normal", Reason: "Started", Note: " Started container app\n",
		}, []any{"5m", "Normal", "Started", "pod/web-0", "spec.containers{app}", "example.com/ctl, ctl-1", "Started container app", "5m", int64(1), "e"}},
		{"series", eventsv1.Event{
			EventTime: microAgo(5 * time.Minute), Series: &eventsv1.EventSeries{Count: 3, LastObservedTime: microAgo(90 * time.Second)},
			ReportingController: "ctl", Regarding: corev1.ObjectReference{Kind: "Node"}, Type: "Warning", Reason: "Rebooted",
		}, []any{"90s", "Warning", "Rebooted", "node", "", "ctl", "", "5m", int64(3), "e"}},
		{"series over deprecated last timestamp and count", eventsv1.Event{
			EventTime: microAgo(time.Hour), Series: &eventsv1.EventSeries{Count: 4, LastObservedTime: microAgo(30 * time.Second)},
			DeprecatedLastTimestamp: ago(time.Minute), DeprecatedCount: 9, ReportingController: "ctl", ReportingInstance: "i",
			Regarding: pod, Type: "Normal", Reason: "Pulled",
		}, []any{"30s", "Normal", "Pulled", "pod/web-0", "spec.containers{app}", "ctl, i", "", "60m", int64(4), "e"}},
		{"deprecated timestamps, count and source", eventsv1.Event{
			DeprecatedFirstTimestamp: ago(2 * time.Hour), DeprecatedLastTimestamp: ago(3 * time.Minute), DeprecatedCount: 7,
			DeprecatedSource: corev1.EventSource{Component: "kubelet", Host: "node-1"},
			Regarding:        pod, Type: "Warning", Reason: "BackOff", Note: "Back-off restarting failed container",
		}, []any{"3m", "Warning", "BackOff", "pod/web-0", "spec.containers{app}", "kubelet, node-1", "Back-off restarting failed container", "120m", int64(7), "e"}},
		{"deprecated first timestamp over eventTime", eventsv1.Event{
			EventTime: microAgo(time.Minute), DeprecatedFirstTimestamp: ago(4 * time.Minute),
			ReportingController: "ctl", Regarding: pod, Type: "Normal", Reason: "Created",
		}, []any{"4m", "Normal", "Created", "pod/web-0", "spec.containers{app}", "ctl", "", "4m", int64(1), "e"}},
		{"deprecated component with reporting instance", eventsv1.Event{
			EventTime: microAgo(time.Minute), DeprecatedSource: corev1.EventSource{Component: "kubelet"},
			ReportingController: "ctl", ReportingInstance: "node-2", Regarding: pod, Type: "Normal", Reason: "Killing",
		}, []any{"60s", "Normal", "Killing", "pod/web-0", "spec.containers{app}", "kubelet, node-2", "", "60s", int64(1), "e"}},
		{"reporting controller with deprecated host", eventsv1.Event{
			EventTime: microAgo(time.Minute), DeprecatedSource: corev1.EventSource{Host: "node-1"},
			ReportingController: "ctl", ReportingInstance: "ctl-1", Regarding: pod, Type: "Normal", Reason: "Killing",
		}, []any{"60s", "Normal", "Killing", "pod/web-0", "spec.containers{app}", "ctl, node-1", "", "60s", int64(1), "e"}},
		{"no timestamps", eventsv1.Event{Regarding: corev1.ObjectReference{Name: "x"}},
			[]any{"<unknown>", "", "", "/x", "", "", "", "<unknown>", int64(1), "e"}},
	}
	tf := resource(clock, time.Hour).Table
	coreTable := core.EventTable(clock)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := tt.e
			e.ObjectMeta = metav1.ObjectMeta{Name: "e", Namespace: "ns"}
			stored := ToCore(&e)
			for _, wide := range []bool{false, true} {
				got := render(t, tf, &e, wide)
				want := tt.wide
				if !wide {
					want = []any{want[0], want[1], want[2], want[3], want[6]}
				}
				if fmt.Sprintf("%#v", got.Rows[0].Cells) != fmt.Sprintf("%#v", want) {
					t.Errorf("wide=%v: row = %#v, want %#v", wide, got.Rows[0].Cells, want)
				}
				// The same stored object, read through either API, shows
				// the same table.
				if c := render(t, coreTable, stored, wide); !reflect.DeepEqual(got, c) {
					t.Errorf("wide=%v: events.k8s.io table\n%#v\ndiffers from core/v1's\n%#v", wide, got, c)
				}
				if back := render(t, tf, FromCore(stored), wide); !reflect.DeepEqual(got, back) {
					t.Errorf("wide=%v: table of the stored event read back = %#v, want %#v", wide, back, got)
				}
			}
		})
	}
}

func TestTableColumns(t *testing.T) {
	tf := resource(clock, time.Hour).Table
	coreTable := core.EventTable(clock)
	for _, tt := range []struct {
		wide bool
		want []string
	}{
		{false, []string{"Last Seen", "Type", "Reason", "Object", "Message"}},
		{true, []string{"Last Seen", "Type", "Reason", "Object", "Subobject", "Source", "Message", "First Seen", "Count", "Name"}},
	} {
		got := render(t, tf, nil, tt.wide)
		var names []string
		for _, c := range got.ColumnDefinitions {
			names = append(names, c.Name)
		}
		if !reflect.DeepEqual(names, tt.want) {
			t.Errorf("wide=%v: columns = %q, want %q", tt.wide, names, tt.want)
		}
		if c := render(t, coreTable, nil, tt.wide); !reflect.DeepEqual(got.ColumnDefinitions, c.ColumnDefinitions) {
			t.Errorf("wide=%v: columns differ from core/v1's: %+v", tt.wide, got.ColumnDefinitions)
		}
	}
}

func TestTableRowsInOrder(t *testing.T) {
	a := &eventsv1.Event{ObjectMeta: metav1.ObjectMeta{Name: "a"}, Reason: "First"}
	b := &eventsv1.Event{ObjectMeta: metav1.ObjectMeta{Name: "b"}, Reason: "Second"}
	got, err := resource(clock, time.Hour).Table([]storage.Object{a, b}, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Rows) != 2 || got.Rows[0].Cells[2] != "First" || got.Rows[1].Cells[9] != "b" {
		t.Errorf("rows = %#v", got.Rows)
	}
}

func TestTableRefusesOtherObjects(t *testing.T) {
	tf := Resource(time.Hour).Table
	for _, obj := range []storage.Object{&corev1.Pod{}, (*eventsv1.Event)(nil), (*corev1.Event)(nil)} {
		if _, err := tf([]storage.Object{obj}, true); err == nil {
			t.Errorf("%T rendered without error", obj)
		}
	}
}

// render is tf's table of obj (none when nil).
func render(t *testing.T, tf registry.TableFunc, obj storage.Object, wide bool) *metav1.Table {
	t.Helper()
	var objs []storage.Object
	if obj != nil {
		objs = []storage.Object{obj}
	}
	table, err := tf(objs, wide)
	if err != nil {
		t.Fatalf("table: %v", err)
	}
	return table
}
