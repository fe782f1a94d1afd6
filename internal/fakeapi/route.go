package fakeapi

import (
	"net/http"
	"strconv"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// target is what an API path names.
type target struct {
	res       *resource
	namespace string // from the path; "" for cluster-scoped and cluster-wide
	name      string // "" for the collection
	sub       string // "" or "status"
}

// call is one request on its way through the handlers.
type call struct {
	w    http.ResponseWriter
	r    *http.Request
	body []byte
	idx  int // of the recorded Request
	t    target
}

// errDryRun refuses dry runs, which the server does not implement, rather
// than performing them for real.
var errDryRun = apierrors.NewBadRequest("fakeapi does not implement dryRun")

// route serves path, already stripped of the prefix.
func (s *Server) route(c *call, path string) {
	switch strings.TrimSuffix(path, "/") {
	case "/version":
		s.serveVersion(c)
		return
	case "/healthz", "/livez", "/readyz":
		c.w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = c.w.Write([]byte("ok"))
		return
	case "/api":
		s.serveAPIVersions(c)
		return
	case "/apis":
		s.serveGroupList(c)
		return
	}
	segs := strings.Split(strings.Trim(path, "/"), "/")
	var gv schema.GroupVersion
	var rest []string
	switch {
	case segs[0] == "api" && len(segs) >= 2:
		gv, rest = schema.GroupVersion{Version: segs[1]}, segs[2:]
	case segs[0] == "apis" && len(segs) == 2:
		s.serveGroup(c, segs[1])
		return
	case segs[0] == "apis" && len(segs) >= 3:
		gv, rest = schema.GroupVersion{Group: segs[1], Version: segs[2]}, segs[3:]
	default:
		http.NotFound(c.w, c.r)
		return
	}
	if len(rest) == 0 {
		s.serveResourceList(c, gv)
		return
	}
	t, ok := s.parseTarget(gv, rest)
	if !ok {
		writeError(c.w, pathNotFound())
		return
	}
	if !acceptsJSON(c.r.Header.Get("Accept")) {
		writeError(c.w, notAcceptable())
		return
	}
	if c.r.Method != http.MethodGet && c.r.URL.Query().Has("dryRun") {
		writeError(c.w, errDryRun)
		return
	}
	c.t = t
	s.dispatch(c)
}

// parseTarget reads [namespaces/{ns}/]{resource}[/{name}[/status]] as
// upstream's request info does: namespaces/{name}/status is the namespace's
// own subresource.
func (s *Server) parseTarget(gv schema.GroupVersion, rest []string) (target, bool) {
	var t target
	if rest[0] == "namespaces" && len(rest) >= 3 && rest[2] != "status" && rest[2] != "finalize" {
		t.namespace, rest = rest[1], rest[2:]
		if t.namespace == "" {
			return t, false
		}
	}
	t.res = s.reg.get(gv.WithResource(rest[0]))
	if t.res == nil || (t.namespace != "" && !t.res.namespaced) {
		return t, false
	}
	switch len(rest) {
	case 1:
		return t, true
	case 2:
		t.name = rest[1]
	case 3:
		t.name, t.sub = rest[1], rest[2]
		if t.sub != "status" || !t.res.status {
			return t, false
		}
	default:
		return t, false
	}
	// Named objects of a namespaced kind live under their namespace.
	return t, t.name != "" && (t.namespace != "" || !t.res.namespaced)
}

// dispatch picks the verb.
func (s *Server) dispatch(c *call) {
	t := c.t
	watching := isWatch(c.r)
	switch m := c.r.Method; {
	case t.name == "" && m == http.MethodGet && watching:
		s.serveWatch(c)
	case t.name == "" && m == http.MethodGet:
		s.serveList(c)
	case t.name == "" && m == http.MethodPost && (t.namespace != "" || !t.res.namespaced):
		s.serveCreate(c)
	case t.name == "" && m == http.MethodDelete:
		s.serveDeleteCollection(c)
	case t.name != "" && m == http.MethodGet && watching && t.sub == "":
		s.serveWatch(c)
	case t.name != "" && m == http.MethodGet:
		s.serveGet(c)
	case t.name != "" && m == http.MethodPut:
		s.serveUpdate(c)
	case t.name != "" && m == http.MethodPatch:
		s.servePatch(c)
	case t.name != "" && m == http.MethodDelete && t.sub == "":
		s.serveDelete(c)
	default:
		writeError(c.w, apierrors.NewMethodNotSupported(t.res.groupResource(), strings.ToLower(m)))
	}
}

func isWatch(r *http.Request) bool {
	v, err := strconv.ParseBool(r.URL.Query().Get("watch"))
	return err == nil && v
}

// serveGet answers a GET of one object or its status.
func (s *Server) serveGet(c *call) {
	o := s.store.get(c.t.res, c.t.namespace, c.t.name)
	if o == nil {
		writeError(c.w, apierrors.NewNotFound(c.t.res.groupResource(), c.t.name))
		return
	}
	writeRaw(c.w, http.StatusOK, o.raw)
}
