package endpoints

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"

	"github.com/skiff-dev/skiff/apiserver/storage"
	"github.com/skiff-dev/skiff/apiserver/watchcache"
)

// jsonEncoding names the shared JSON encoding of a watched object.
const jsonEncoding = "application/json"

// watch streams events as upstream does: a chunked response of JSON
// objects {"type":…,"object":…}, one per line, flushed one by one.
func (q *request) watch() {
	out, err := negotiate(q.r)
	if err != nil {
		q.fail(err)
		return
	}
	var opts metav1.ListOptions
	if !q.decodeParams(&opts) {
		return
	}
	if q.info.Name != "" { // GET …/pods/<name>?watch=1
		opts.FieldSelector = joinSelector(opts.FieldSelector, "metadata.name="+q.info.Name)
	}
	timeout := q.h.watchTimeout(opts.TimeoutSeconds)
	ctx, cancel := context.WithTimeout(q.r.Context(), timeout)
	defer cancel()

	w, err := q.store.Watch(ctx, q.info.Namespace, opts)
	var expired *apierrors.StatusError
	if errors.As(err, &expired) && apierrors.IsResourceExpired(err) {
		// As upstream's watch cache: a 200 with one ERROR event.
		q.startStream()
		q.writeEvent(watch.Error, q.statusBytes(err))
		return
	}
	if err != nil {
		q.fail(err)
		return
	}
	defer w.Stop()
	q.startStream()
	for ev := range w.ResultChan() {
		data, err := q.eventObject(ev, out.table)
		if err != nil {
			q.h.logger.Warn("encode watch event")
			return
		}
		if !q.writeEvent(ev.Type, data) {
			return
		}
		gvk := q.store.Resource().GroupVersionKind()
		q.h.metrics.sent(gvk.Group, gvk.Version, gvk.Kind, len(data))
	}
	var expiredErr *watchcache.ExpiredError
	if errors.As(w.Err(), &expiredErr) {
		q.writeEvent(watch.Error, q.statusBytes(apierrors.NewResourceExpired(expiredErr.Error())))
	}
}

func (h *Handler) watchTimeout(seconds *int64) time.Duration {
	if seconds != nil && *seconds > 0 {
		return time.Duration(*seconds) * time.Second
	}
	// Spread reconnects: a random time between the minimum and twice it.
	return h.minRequestTimeout + time.Duration(rand.Int64N(int64(h.minRequestTimeout)+1))
}

func (q *request) startStream() {
	q.w.Header().Set("Content-Type", mediaJSON)
	q.w.Header().Set("X-Content-Type-Options", "nosniff")
	q.w.WriteHeader(http.StatusOK)
	if f, ok := q.w.(http.Flusher); ok {
		f.Flush()
	}
}

// writeEvent writes one event line and flushes it; false when the client
// has gone. The object's bytes go to the response as they are, not
// copied into a line of this watcher's own: they are the encoding every
// watcher shares, never changed, and the response writer buffers or sends
// them.
func (q *request) writeEvent(t watch.EventType, object []byte) bool {
	var head [40]byte // {"type":"BOOKMARK","object": and the like
	prefix := append(append(append(head[:0], `{"type":"`...), t...), `","object":`...)
	for _, part := range [][]byte{prefix, bytes.TrimRight(object, "\n"), eventEnd} {
		if _, err := q.w.Write(part); err != nil {
			return false
		}
	}
	if f, ok := q.w.(http.Flusher); ok {
		f.Flush()
	}
	return true
}

// eventEnd closes an event line.
var eventEnd = []byte("}\n")

// eventObject is the JSON of an event's object: shared by every watcher
// for objects, built here for bookmarks and per watcher for Tables.
func (q *request) eventObject(ev watchcache.WatchEvent, table bool) ([]byte, error) {
	if ev.Type == watch.Bookmark {
		return q.bookmark(ev)
	}
	if table {
		t, err := q.table([]storage.Object{ev.Object})
		if err != nil {
			return nil, err
		}
		return runtime.Encode(q.h.codecs.JSON, t)
	}
	return ev.Encoded(jsonEncoding, func(obj storage.Object) ([]byte, error) {
		return runtime.Encode(q.h.codecs.JSON, q.h.withKind(obj))
	})
}

// bookmark is an object of the watched kind carrying only the
// resourceVersion (and the initial-events-end annotation when it ends the
// initial events).
func (q *request) bookmark(ev watchcache.WatchEvent) ([]byte, error) {
	gvk := q.store.Resource().GroupVersionKind()
	meta := map[string]any{"resourceVersion": strconv.FormatInt(ev.ResourceVersion, 10)}
	if ev.InitialEventsEnd {
		meta["annotations"] = map[string]string{metav1.InitialEventsAnnotationKey: "true"}
	}
	return json.Marshal(map[string]any{"kind": gvk.Kind, "apiVersion": gvk.GroupVersion().String(), "metadata": meta})
}

func (q *request) statusBytes(err error) []byte {
	b, mErr := json.Marshal(StatusFor(err))
	if mErr != nil {
		return []byte(fmt.Sprintf(`{"kind":"Status","apiVersion":"v1","status":"Failure","code":%d}`, http.StatusInternalServerError))
	}
	return b
}

func joinSelector(a, b string) string {
	if a == "" {
		return b
	}
	return a + "," + b
}
