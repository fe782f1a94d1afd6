package fakeapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"k8s.io/apimachinery/pkg/watch"
)

// initialEventsEnd is the annotation on the bookmark that ends the initial
// events of a watch with sendInitialEvents=true.
const initialEventsEnd = "k8s.io/initial-events-end"

// watcher is one watch stream's subscription to the store.
type watcher struct {
	res       *resource
	match     func(*object) bool
	bookmarks bool
	minRV     int64         // changes at or before it are not delivered
	ch        chan frame    // filled by the store under its lock
	gone      chan struct{} // closed when the store drops a watcher that fell behind
}

// frame is one event for the stream.
type frame struct {
	typ        watch.EventType
	obj        *object // nil for bookmarks
	rv         int64   // bookmarks: the revision they report
	initialEnd bool
}

// translate turns a change into the event this watcher sees through its
// filter, as upstream's watch cache does: an object that starts matching
// arrives as ADDED, one that stops matching as DELETED with its previous
// content at the change's resourceVersion.
func (w *watcher) translate(c change) (frame, bool) {
	switch c.typ {
	case watch.Added:
		return frame{typ: watch.Added, obj: c.obj}, w.match(c.obj)
	case watch.Deleted:
		return frame{typ: watch.Deleted, obj: c.obj}, w.match(c.obj)
	}
	now, before := w.match(c.obj), w.match(c.prev)
	switch {
	case now && before:
		return frame{typ: watch.Modified, obj: c.obj}, true
	case now:
		return frame{typ: watch.Added, obj: c.obj}, true
	case before:
		return frame{typ: watch.Deleted, obj: c.prev.withRV(c.rev)}, true
	}
	return frame{}, false
}

// watchQuery is what a watch asks for.
type watchQuery struct {
	from       int64 // revision to start after; -1: now
	fromState  bool  // start with the current objects as ADDED
	initialEnd bool  // end those with an annotated bookmark
	bookmarks  bool
	timeout    time.Duration
}

func parseWatchQuery(q url.Values) (watchQuery, error) {
	var wq watchQuery
	wq.bookmarks, _ = strconv.ParseBool(q.Get("allowWatchBookmarks"))
	if v := q.Get("timeoutSeconds"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return wq, apierrors.NewBadRequest(fmt.Sprintf("timeoutSeconds: %v", err))
		}
		wq.timeout = time.Duration(n) * time.Second
	}
	rv := q.Get("resourceVersion")
	match := metav1.ResourceVersionMatch(q.Get("resourceVersionMatch"))
	var sendInitial *bool
	if v := q.Get("sendInitialEvents"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return wq, apierrors.NewBadRequest(fmt.Sprintf("sendInitialEvents: %v", err))
		}
		sendInitial = &b
	}
	var errs field.ErrorList
	if sendInitial != nil && match != metav1.ResourceVersionMatchNotOlderThan {
		errs = append(errs, field.Forbidden(field.NewPath("resourceVersionMatch"), "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"))
	}
	if match != "" && sendInitial == nil {
		errs = append(errs, field.Forbidden(field.NewPath("resourceVersionMatch"), "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"))
	}
	if len(errs) > 0 {
		return wq, listOptionsInvalid(errs...)
	}
	if rv != "" && rv != "0" {
		n, err := strconv.ParseInt(rv, 10, 64)
		if err != nil || n < 0 {
			return wq, apierrors.NewBadRequest(fmt.Sprintf("invalid resourceVersion %q", rv))
		}
		wq.from = n
	}
	switch {
	case sendInitial != nil:
		wq.fromState = *sendInitial
		wq.initialEnd = *sendInitial && wq.bookmarks
		if !*sendInitial && (rv == "" || rv == "0") {
			wq.from = -1
		}
	default:
		wq.fromState = rv == "" || rv == "0"
	}
	return wq, nil
}

// serveWatch streams events: newline-separated {"type","object"} JSON,
// each flushed as it comes, until the client goes, timeoutSeconds passes,
// the watcher falls too far behind, or the server closes.
func (s *Server) serveWatch(c *call) {
	q := c.r.URL.Query()
	f, err := parseFilter(q, c.t.namespace)
	if err != nil {
		writeError(c.w, err)
		return
	}
	f.name = c.t.name
	wq, err := parseWatchQuery(q)
	if err != nil {
		writeError(c.w, err)
		return
	}
	w := &watcher{
		res:       c.t.res,
		match:     f.matches,
		bookmarks: wq.bookmarks,
		ch:        make(chan frame, s.cfg.watchBuffer),
		gone:      make(chan struct{}),
	}
	initial, err := s.store.startWatch(w, wq.from, wq.fromState, wq.initialEnd)
	st := &stream{s: s, w: c.w, rc: http.NewResponseController(c.w), res: c.t.res}
	var re *revError
	if errors.As(err, &re) {
		// Upstream answers 200 and then one ERROR event.
		st.start()
		gone := apierrors.NewResourceExpired(fmt.Sprintf("too old resource version: %d (%d)", re.requested, re.current))
		st.writeError(toStatus(gone))
		return
	}
	if err != nil {
		writeError(c.w, err)
		return
	}
	defer s.store.stopWatch(w)
	st.start()
	for _, f := range initial {
		if !st.send(f) {
			return
		}
	}
	var tick <-chan time.Time
	if wq.bookmarks && s.cfg.bookmarkInterval > 0 {
		t := time.NewTicker(s.cfg.bookmarkInterval)
		defer t.Stop()
		tick = t.C
	}
	var timeout <-chan time.Time
	if wq.timeout > 0 {
		t := time.NewTimer(wq.timeout)
		defer t.Stop()
		timeout = t.C
	}
	for {
		select {
		case f := <-w.ch:
			if !st.send(f) {
				return
			}
		case <-w.gone:
			for {
				select {
				case f := <-w.ch:
					if !st.send(f) {
						return
					}
				default:
					return
				}
			}
		case <-tick:
			s.store.bookmark(w)
		case <-timeout:
			return
		case <-c.r.Context().Done():
			return
		case <-s.stopping:
			return
		}
	}
}

// stream writes one watch response.
type stream struct {
	s    *Server
	w    http.ResponseWriter
	rc   *http.ResponseController
	res  *resource
	sent int64 // events written, bookmarks aside
}

type wireEvent struct {
	Type   watch.EventType `json:"type"`
	Object json.RawMessage `json:"object"`
}

func (st *stream) start() {
	st.w.Header().Set("Content-Type", "application/json")
	st.w.WriteHeader(http.StatusOK)
	_ = st.rc.Flush()
	st.maybeDrop()
}

// send writes and flushes one event; false when the client is gone.
func (st *stream) send(f frame) bool {
	var obj json.RawMessage
	if f.typ == watch.Bookmark {
		obj = st.bookmarkObject(f)
	} else {
		obj = f.obj.raw
	}
	if !st.write(wireEvent{Type: f.typ, Object: obj}) {
		return false
	}
	if f.typ != watch.Bookmark {
		st.sent++
		st.maybeDrop()
	}
	return true
}

func (st *stream) writeError(status *metav1.Status) {
	raw, _ := json.Marshal(status)
	st.write(wireEvent{Type: watch.Error, Object: raw})
}

func (st *stream) write(ev wireEvent) bool {
	raw, err := json.Marshal(ev)
	if err != nil {
		return false
	}
	if _, err := st.w.Write(append(raw, '\n')); err != nil {
		return false
	}
	return st.rc.Flush() == nil
}

// maybeDrop cuts the connection mid-stream once DropWatchesAfter's count
// is reached: the handler aborts, so the client never sees the chunked
// encoding's end.
func (st *stream) maybeDrop() {
	if n := st.s.faults.dropAfter.Load(); n >= 0 && st.sent >= n {
		panic(http.ErrAbortHandler)
	}
}

// bookmarkObject is the object of a BOOKMARK event: only the kind and the
// resourceVersion, as upstream sends it.
func (st *stream) bookmarkObject(f frame) json.RawMessage {
	meta := map[string]any{"resourceVersion": strconv.FormatInt(f.rv, 10)}
	if f.initialEnd {
		meta["annotations"] = map[string]string{initialEventsEnd: "true"}
	}
	raw, _ := json.Marshal(map[string]any{
		"kind":       st.res.kind,
		"apiVersion": st.res.apiVersion(),
		"metadata":   meta,
	})
	return raw
}
