package daemon

import (
	"fmt"
	"net/http"
	"sort"
	"strings"

	"go.uber.org/zap"
)

// Install serves /livez, /readyz and /healthz on mux as upstream does:
//
//   - GET /livez runs every livez check except those named by ?exclude=
//     (repeatable, or comma-separated). All pass: 200 "ok". Any fails: 500
//     with a line per check — "[+]ping ok", "[-]etcd failed: reason withheld",
//     "[+]x excluded: ok" — and a last line "livez check failed". The reason
//     is logged, not shown, as the endpoint is unauthenticated.
//   - ?verbose lists every check even when all pass, ending "livez check passed".
//   - GET /livez/<name> runs one check: 200 "ok", or 500
//     "internal server error: <reason>"; 404 for an unknown name.
//
// The same holds for /readyz and /healthz with their own checks.
func (h *Health) Install(mux *http.ServeMux) {
	for _, n := range endpointNames {
		e := n.e
		mux.HandleFunc("/"+n.name, func(w http.ResponseWriter, r *http.Request) { h.serveAll(e, w, r) })
		mux.HandleFunc("/"+n.name+"/", func(w http.ResponseWriter, r *http.Request) { h.serveOne(e, w, r) })
	}
}

func (h *Health) serveAll(e Endpoints, w http.ResponseWriter, r *http.Request) {
	excluded := map[string]bool{}
	for _, v := range r.URL.Query()["exclude"] {
		for name := range strings.SplitSeq(v, ",") {
			if name = strings.TrimSpace(name); name != "" {
				excluded[name] = true
			}
		}
	}
	var out, reasons strings.Builder
	var failed []string
	for _, c := range h.checksFor(e) {
		if excluded[c.Name] {
			delete(excluded, c.Name)
			fmt.Fprintf(&out, "[+]%s excluded: ok\n", c.Name)
			continue
		}
		if err := c.Fn(r); err != nil {
			fmt.Fprintf(&out, "[-]%s failed: reason withheld\n", c.Name)
			fmt.Fprintf(&reasons, "[-]%s failed: %v\n", c.Name, err)
			failed = append(failed, c.Name)
			continue
		}
		fmt.Fprintf(&out, "[+]%s ok\n", c.Name)
	}
	if len(excluded) > 0 {
		names := make([]string, 0, len(excluded))
		for n := range excluded {
			names = append(names, fmt.Sprintf("%q", n))
		}
		sort.Strings(names)
		fmt.Fprintf(&out, "warn: some health checks cannot be excluded: no matches for %s\n", strings.Join(names, ","))
	}
	if len(failed) > 0 {
		h.logger.Log(V(2), "health check failed", zap.Stringer("endpoint", e),
			zap.Strings("failed", failed), zap.String("reasons", reasons.String()))
		http.Error(w, fmt.Sprintf("%s%s check failed", out.String(), e), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if _, verbose := r.URL.Query()["verbose"]; !verbose {
		fmt.Fprint(w, "ok")
		return
	}
	fmt.Fprintf(w, "%s%s check passed\n", out.String(), e)
}

func (h *Health) serveOne(e Endpoints, w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/"+e.String()+"/")
	c, ok := h.check(e, name)
	if !ok {
		http.NotFound(w, r)
		return
	}
	if err := c.Fn(r); err != nil {
		http.Error(w, fmt.Sprintf("internal server error: %v", err), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	fmt.Fprint(w, "ok")
}
