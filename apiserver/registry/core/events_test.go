package core

import (
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/registry/registrytest"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

func TestEventValidate(t *testing.T) {
	micro := metav1.NewMicroTime(created)
	newStyle := func(mod func(e *corev1.Event)) corev1.Event {
		e := corev1.Event{
			ObjectMeta:          metav1.ObjectMeta{Namespace: "ns"},
			InvolvedObject:      corev1.ObjectReference{Namespace: "ns", Kind: "Pod", Name: "p"},
			EventTime:           micro,
			ReportingController: "example.com/ctl",
			ReportingInstance:   "ctl-1",
			Action:              "Bind",
			Reason:              "Scheduled",
		}
		mod(&e)
		return e
	}
	tests := []struct {
		name string
		e    corev1.Event
		want []string
	}{
		{"old style, same namespace", corev1.Event{ObjectMeta: metav1.ObjectMeta{Namespace: "ns"}, InvolvedObject: corev1.ObjectReference{Namespace: "ns"}}, nil},
		{"old style, other namespace", corev1.Event{ObjectMeta: metav1.ObjectMeta{Namespace: "ns"}, InvolvedObject: corev1.ObjectReference{Namespace: "other"}},
			[]string{`involvedObject.namespace: Invalid value: "other": does not match event.namespace`}},
		{"old style, cluster object in default", corev1.Event{ObjectMeta: metav1.ObjectMeta{Namespace: "default"}, InvolvedObject: corev1.ObjectReference{Kind: "Node"}}, nil},
		{"old style, cluster object elsewhere", corev1.Event{ObjectMeta: metav1.ObjectMeta{Namespace: "ns"}, InvolvedObject: corev1.ObjectReference{Kind: "Node"}},
			[]string{`involvedObject.namespace: Invalid value: "": does not match event.namespace`}},
		{"new style", newStyle(func(*corev1.Event) {}), nil},
		{"new style, cluster object in kube-system", newStyle(func(e *corev1.Event) { e.Namespace = "kube-system"; e.InvolvedObject.Namespace = "" }), nil},
		{"new style, cluster object elsewhere", newStyle(func(e *corev1.Event) { e.InvolvedObject.Namespace = "" }),
			[]string{`involvedObject.namespace: Invalid value: "": does not match event.namespace`}},
		{"new style, missing reporting fields", newStyle(func(e *corev1.Event) {
			e.ReportingController, e.ReportingInstance, e.Action, e.Reason = "", "", "", ""
		}), []string{
			"reportingController: Required value",
			`reportingController: Invalid value: "": name part must be non-empty`,
			`reportingController: Invalid value: "": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
			"reportingInstance: Required value", "action: Required value", "reason: Required value",
		}},
		{"new style, too long", newStyle(func(e *corev1.Event) {
			e.Action = strings.Repeat("a", 129)
			e.Message = strings.Repeat("m", 1025)
		}), []string{`action: Invalid value: "": can have at most 128 characters`, `message: Invalid value: "": can have at most 1024 characters`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkErrs(t, eventStrategy{}.Validate(ctx, &tt.e), tt.want...)
		})
	}
}

func TestEventName(t *testing.T) {
	if msgs := (eventStrategy{}).ValidateName("MyPod.17a8b", false); len(msgs) != 0 {
		t.Errorf("upper-case event name refused: %v", msgs)
	}
	if msgs := (eventStrategy{}).ValidateName("a/b", false); len(msgs) == 0 {
		t.Error("a/b accepted")
	}
}

func TestEventAttrs(t *testing.T) {
	e := &corev1.Event{
		ObjectMeta:          metav1.ObjectMeta{Name: "e", Namespace: "ns"},
		InvolvedObject:      corev1.ObjectReference{Kind: "Pod", Namespace: "ns", Name: "p", UID: "u", APIVersion: "v1", ResourceVersion: "7", FieldPath: "spec.containers{c}"},
		Reason:              "Pulled",
		Type:                "Normal",
		ReportingController: "kubelet",
	}
	_, f, err := eventAttrs(e)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"involvedObject.kind": "Pod", "involvedObject.namespace": "ns", "involvedObject.name": "p",
		"involvedObject.uid": "u", "involvedObject.apiVersion": "v1", "involvedObject.resourceVersion": "7",
		"involvedObject.fieldPath": "spec.containers{c}", "reason": "Pulled", "type": "Normal",
		"reportingComponent": "kubelet", "source": "kubelet", "metadata.name": "e", "metadata.namespace": "ns",
	}
	for k, v := range want {
		if f[k] != v {
			t.Errorf("%s = %q, want %q", k, f[k], v)
		}
	}
	r := eventsResource(clock, time.Hour)
	for k := range want {
		if k == "metadata.name" || k == "metadata.namespace" {
			continue
		}
		found := false
		for _, s := range r.SelectableFields {
			found = found || s == k
		}
		if !found {
			t.Errorf("%s not selectable", k)
		}
	}
}

func TestEventTable(t *testing.T) {
	e := &corev1.Event{
		ObjectMeta:     metav1.ObjectMeta{Name: "p.1", Namespace: "ns"},
		InvolvedObject: corev1.ObjectReference{Kind: "Pod", Name: "p", FieldPath: "spec.containers{c}"},
		Type:           "Warning", Reason: "BackOff", Message: " Back-off restarting \n",
		Source:         corev1.EventSource{Component: "kubelet", Host: "node-1"},
		FirstTimestamp: metav1.NewTime(created), LastTimestamp: metav1.NewTime(created.Add(3 * time.Minute)), Count: 4,
	}
	// A new-style event: no timestamps but eventTime and a series.
	series := &corev1.Event{
		ObjectMeta:     metav1.ObjectMeta{Name: "n.1", Namespace: "ns"},
		InvolvedObject: corev1.ObjectReference{Kind: "Node"},
		Type:           "Normal", Reason: "Ready",
		EventTime:           metav1.NewMicroTime(created),
		Series:              &corev1.EventSeries{Count: 3, LastObservedTime: metav1.NewMicroTime(created.Add(4 * time.Minute))},
		ReportingController: "ctl", ReportingInstance: "i",
	}
	r := eventsResource(clock, time.Hour)
	checkRows(t, r.Table, []storage.Object{e, series}, false,
		[]string{"Last Seen", "Type", "Reason", "Object", "Message"},
		[]any{"2m", "Warning", "BackOff", "pod/p", "Back-off restarting"},
		[]any{"60s", "Normal", "Ready", "node", ""})
	checkRows(t, r.Table, []storage.Object{e, series}, true,
		[]string{"Last Seen", "Type", "Reason", "Object", "Subobject", "Source", "Message", "First Seen", "Count", "Name"},
		[]any{"2m", "Warning", "BackOff", "pod/p", "spec.containers{c}", "kubelet, node-1", "Back-off restarting", "5m", int64(4), "p.1"},
		[]any{"60s", "Normal", "Ready", "node", "", "ctl, i", "", "5m", int64(3), "n.1"})
	for _, bad := range []storage.Object{(*corev1.Event)(nil), &corev1.Pod{}} {
		if _, err := EventTable(clock)([]storage.Object{bad}, true); err == nil {
			t.Errorf("%T rendered without error", bad)
		}
	}
}

func TestEventResource(t *testing.T) {
	var events *registry.Resource
	for _, r := range Resources(Options{}) {
		if r.GVR.Resource == "events" {
			events = r
		}
	}
	if events == nil || events.TTL(nil) != 3600 || !events.AllowCreateOnUpdate || events.StoragePrefix != "events" {
		t.Fatalf("events = %+v", events)
	}
	if got := eventsResource(clock, 2*time.Minute).TTL(nil); got != 120 {
		t.Errorf("ttl = %d", got)
	}
	// PUT creates a missing event.
	st := registry.NewStore(events, registrytest.NewBackend(), nil)
	e := &corev1.Event{ObjectMeta: metav1.ObjectMeta{Name: "e1"}, InvolvedObject: corev1.ObjectReference{Namespace: "ns"}}
	if _, created, err := st.Update(ctx, "ns", "e1", "", put(e), registry.WriteOptions{}); err != nil || !created {
		t.Errorf("create on update: created=%v err=%v", created, err)
	}
}
