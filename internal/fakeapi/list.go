package fakeapi

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// continueToken is what a continue parameter carries, shaped as upstream's:
// the revision of the list's snapshot and the key the next page starts at.
// A revision of -1 (handed out with a 410) continues inconsistently, from
// the current state.
type continueToken struct {
	APIVersion string `json:"v"`
	RV         int64  `json:"rv"`
	Start      string `json:"start"`
}

func encodeContinue(rv int64, start string) string {
	raw, _ := json.Marshal(continueToken{APIVersion: "meta.k8s.io/v1", RV: rv, Start: start})
	return base64.RawURLEncoding.EncodeToString(raw)
}

func decodeContinue(s string) (continueToken, error) {
	var t continueToken
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return t, err
	}
	if err := json.Unmarshal(raw, &t); err != nil {
		return t, err
	}
	if t.APIVersion != "meta.k8s.io/v1" {
		return t, fmt.Errorf("continue key is not valid: incorrect encoded start resourceVersion (version %s)", t.APIVersion)
	}
	return t, nil
}

// listQuery is what a list asks for.
type listQuery struct {
	at    int64  // snapshot revision; 0 for now
	start string // first key of the page
	token bool   // a continue token gave at and start
	limit int64
}

// parseListQuery reads resourceVersion, resourceVersionMatch, limit and
// continue with upstream's semantics: "" and "0" read the current state;
// a revision with Exact reads that snapshot; a revision otherwise
// (NotOlderThan) reads the current state if it is at least that new.
func (s *Server) parseListQuery(q url.Values) (listQuery, error) {
	var lq listQuery
	if v := q.Get("limit"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return lq, apierrors.NewBadRequest(fmt.Sprintf("limit: %v", err))
		}
		lq.limit = max(n, 0)
	}
	rv, match := q.Get("resourceVersion"), metav1.ResourceVersionMatch(q.Get("resourceVersionMatch"))
	if token := q.Get("continue"); token != "" {
		t, err := decodeContinue(token)
		if err != nil {
			return lq, apierrors.NewBadRequest(fmt.Sprintf("invalid continue token: %v", err))
		}
		lq.at, lq.start, lq.token = max(t.RV, 0), t.Start, true
		return lq, nil
	}
	if match != "" && rv == "" {
		return lq, listOptionsInvalid(field.Forbidden(field.NewPath("resourceVersionMatch"), "resourceVersionMatch is forbidden unless resourceVersion is provided"))
	}
	if rv == "" || rv == "0" {
		return lq, nil
	}
	n, err := strconv.ParseInt(rv, 10, 64)
	if err != nil || n < 0 {
		return lq, apierrors.NewBadRequest(fmt.Sprintf("invalid resourceVersion %q", rv))
	}
	switch match {
	case metav1.ResourceVersionMatchExact:
		lq.at = n
	case "", metav1.ResourceVersionMatchNotOlderThan:
		if cur := s.store.revision(); n > cur {
			return lq, tooLargeRV(n, cur)
		}
	default:
		return lq, listOptionsInvalid(field.NotSupported(field.NewPath("resourceVersionMatch"), match,
			[]string{string(metav1.ResourceVersionMatchExact), string(metav1.ResourceVersionMatchNotOlderThan)}))
	}
	return lq, nil
}

func listOptionsInvalid(errs ...*field.Error) error {
	return apierrors.NewInvalid(schema.GroupKind{Group: metav1.GroupName, Kind: "ListOptions"}, "", errs)
}

// tooLargeRV is upstream's answer for a revision the store has not reached.
func tooLargeRV(requested, current int64) error {
	err := apierrors.NewTimeoutError(fmt.Sprintf("Too large resource version: %d, current: %d", requested, current), 1)
	err.ErrStatus.Details.Causes = []metav1.StatusCause{{Type: metav1.CauseTypeResourceVersionTooLarge, Message: "Too large resource version"}}
	return err
}

// serveList answers a list, one page of it with limit.
func (s *Server) serveList(c *call) {
	res := c.t.res
	q := c.r.URL.Query()
	f, err := parseFilter(q, c.t.namespace)
	if err != nil {
		writeError(c.w, err)
		return
	}
	lq, err := s.parseListQuery(q)
	if err != nil {
		writeError(c.w, err)
		return
	}
	objs, rev, err := s.store.list(res, lq.at)
	var re *revError
	switch {
	case errors.As(err, &re) && re.tooOld && lq.token:
		gone := apierrors.NewResourceExpired(continueExpiredMsg)
		gone.ErrStatus.ListMeta.Continue = encodeContinue(-1, lq.start)
		writeError(c.w, gone)
		return
	case errors.As(err, &re) && re.tooOld:
		writeError(c.w, apierrors.NewResourceExpired(listExpiredMsg))
		return
	case errors.As(err, &re):
		writeError(c.w, tooLargeRV(re.requested, re.current))
		return
	case err != nil:
		writeError(c.w, err)
		return
	}
	var matched []*object
	for _, o := range objs {
		if o.key() >= lq.start && f.matches(o) {
			matched = append(matched, o)
		}
	}
	meta := metav1.ListMeta{ResourceVersion: strconv.FormatInt(rev, 10)}
	if lq.limit > 0 && int64(len(matched)) > lq.limit {
		last := matched[lq.limit-1]
		meta.Continue = encodeContinue(rev, last.key()+"\x00")
		if !f.selects() {
			remaining := int64(len(matched)) - lq.limit
			meta.RemainingItemCount = &remaining
		}
		matched = matched[:lq.limit]
	}
	items := make([]json.RawMessage, len(matched))
	for i, o := range matched {
		items[i] = o.listItem(res)
	}
	writeList(c.w, res, meta, items)
}

// writeList answers with a {Kind}List.
func writeList(w http.ResponseWriter, res *resource, meta metav1.ListMeta, items []json.RawMessage) {
	writeJSON(w, http.StatusOK, struct {
		Kind       string            `json:"kind"`
		APIVersion string            `json:"apiVersion"`
		Metadata   metav1.ListMeta   `json:"metadata"`
		Items      []json.RawMessage `json:"items"`
	}{res.kind + "List", res.apiVersion(), meta, items})
}
