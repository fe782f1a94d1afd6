package client

import (
	"context"
	"io"
	"net/http"
	"testing"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/watch"
)

func TestWatchDecodesEveryEventType(t *testing.T) {
	release := make(chan struct{})
	rec, c, _ := newRecorder(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(200)
		fl := w.(http.Flusher)
		for _, ev := range []string{
			`{"type":"ADDED","object":{"kind":"Pod","apiVersion":"v1","metadata":{"name":"a","resourceVersion":"11"}}}`,
			`{"type":"MODIFIED","object":{"kind":"Pod","apiVersion":"v1","metadata":{"name":"a","resourceVersion":"12"}}}`,
			`{"type":"BOOKMARK","object":{"kind":"Pod","apiVersion":"v1","metadata":{"resourceVersion":"15"}}}`,
			`{"type":"DELETED","object":{"kind":"Pod","apiVersion":"v1","metadata":{"name":"a","resourceVersion":"16"}}}`,
			`{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","message":"too old resource version: 1 (16)","reason":"Expired","code":410}}`,
		} {
			_, _ = io.WriteString(w, ev+"\n")
			fl.Flush()
			if ev[9] == 'B' { // hold the stream open after the bookmark until the test has read it
				<-release
			}
		}
	})
	w, err := For[corev1.Pod](c, Pods).Namespace("ns").Watch(context.Background(), metav1.ListOptions{ResourceVersion: "10", AllowWatchBookmarks: true})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	var got []string
	for ev := range w.ResultChan() {
		switch o := ev.Object.(type) {
		case *corev1.Pod:
			got = append(got, string(ev.Type)+":"+o.Name+"@"+o.ResourceVersion)
			if ev.Type == watch.Bookmark {
				close(release)
			}
		case *metav1.Status:
			if !apierrors.IsResourceExpired(apierrors.FromObject(o)) {
				t.Errorf("ERROR event %+v is not a 410 Expired", o)
			}
			got = append(got, string(ev.Type)+":"+string(o.Reason))
		default:
			t.Fatalf("event object %T", ev.Object)
		}
	}
	want := []string{"ADDED:a@11", "MODIFIED:a@12", "BOOKMARK:@15", "DELETED:a@16", "ERROR:Expired"}
	if len(got) != len(want) {
		t.Fatalf("events %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("event %d: %s, want %s", i, got[i], want[i])
		}
	}
	if q := rec.requests()[0].Query; q != "allowWatchBookmarks=true&resourceVersion=10&watch=true" {
		t.Errorf("query %s", q)
	}
}

func TestWatchStopEndsTheStream(t *testing.T) {
	_, c, _ := newRecorder(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		w.WriteHeader(200)
		w.(http.Flusher).Flush()
		<-r.Context().Done() // a quiet stream; ends only when the client goes
	})
	w, err := For[corev1.Pod](c, Pods).Watch(context.Background(), metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	w.Stop()
	for range w.ResultChan() {
		t.Fatal("no event expected")
	}
}

func TestWatchRefusedIsAnError(t *testing.T) {
	_, c, _ := newRecorder(t, jsonReply(403, `{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Forbidden","code":403}`))
	if _, err := For[corev1.Pod](c, Pods).Watch(context.Background(), metav1.ListOptions{}); !apierrors.IsForbidden(err) {
		t.Fatalf("error %v, want Forbidden", err)
	}
}
