package discovery

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Handler serves the discovery documents and /version. Its documents are
// built by New and never change.
type Handler struct {
	serverAddress string
	docs          map[string]*document
	paths         []string
	version       encoded
}

// document is one discovery path's answer in each format it offers.
type document struct {
	legacy                        encoded
	aggregated, aggregatedV2Beta1 *encoded // only /api and /apis
	dynamicAddress                bool     // /api without a configured address
}

// encoded is a serialized document and its ETag.
type encoded struct {
	body []byte
	etag string
}

// Option configures a Handler.
type Option func(*Handler)

// WithServerAddress sets the address ("10.0.0.1:6443") that /api reports
// in serverAddressByClientCIDRs. Without it, the request's Host is used.
func WithServerAddress(addr string) Option {
	return func(h *Handler) { h.serverAddress = addr }
}

// New builds every discovery document of resources, and /version from
// info (Major and Minor default to "1" and "31", the Kubernetes release
// whose API skiff serves).
func New(resources []Resource, info Info, opts ...Option) *Handler {
	h := &Handler{docs: map[string]*document{}}
	for _, o := range opts {
		o(h)
	}
	groups := catalog(resources)

	core := mustEncode(aggregatedV2(groups, true))
	coreBeta := mustEncode(aggregatedV2Beta1(aggregatedV2(groups, true)))
	h.add("/api", &document{
		legacy:            mustEncode(apiVersions(h.serverAddress)),
		aggregated:        &core,
		aggregatedV2Beta1: &coreBeta,
		dynamicAddress:    h.serverAddress == "",
	})
	all := mustEncode(aggregatedV2(groups, false))
	allBeta := mustEncode(aggregatedV2Beta1(aggregatedV2(groups, false)))
	h.add("/apis", &document{legacy: mustEncode(apiGroupList(groups)), aggregated: &all, aggregatedV2Beta1: &allBeta})
	for _, g := range groups {
		if g.name != "" {
			ag := apiGroup(g)
			ag.TypeMeta = metav1.TypeMeta{Kind: "APIGroup", APIVersion: "v1"}
			h.add("/apis/"+g.name, &document{legacy: mustEncode(&ag)})
		}
		for _, v := range g.versions {
			path := "/apis/" + g.name + "/" + v.version
			if g.name == "" {
				path = "/api/" + v.version
			}
			h.add(path, &document{legacy: mustEncode(apiResourceList(v))})
		}
	}

	if info.Major == "" {
		info.Major = "1"
	}
	if info.Minor == "" {
		info.Minor = "31"
	}
	body, err := json.MarshalIndent(info, "", "  ")
	if err != nil {
		panic(fmt.Sprintf("discovery: encode version: %v", err)) // plain strings always encode
	}
	h.version = encoded{body: body, etag: etagOf(body)}
	h.paths = append(h.paths, "/version")
	return h
}

func (h *Handler) add(path string, d *document) {
	h.docs[path] = d
	h.paths = append(h.paths, path)
}

// Paths lists the exact paths the handler answers, for registering it on
// a router: /api, /apis, /api/v1, /apis/<group>, /apis/<group>/<version>,
// /version.
func (h *Handler) Paths() []string { return append([]string(nil), h.paths...) }

// ServeHTTP answers GET on the discovery paths and /version.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	if len(path) > 1 {
		path = strings.TrimSuffix(path, "/")
	}
	d, ok := h.docs[path]
	if !ok && path != "/version" {
		writeStatus(w, http.StatusNotFound, metav1.StatusReasonNotFound, "the server could not find the requested resource")
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		writeStatus(w, http.StatusMethodNotAllowed, metav1.StatusReasonMethodNotAllowed,
			"the server does not allow this method on the requested resource")
		return
	}
	if path == "/version" {
		serve(w, r, contentTypeJSON, h.version)
		return
	}
	if d.aggregated != nil {
		w.Header().Add("Vary", "Accept")
	}
	switch negotiate(r.Header.Get("Accept"), d.aggregated != nil) {
	case formatAggregated:
		serve(w, r, contentTypeAggregated, *d.aggregated)
	case formatAggregatedV2Beta1:
		serve(w, r, contentTypeAggregatedV2Beta1, *d.aggregatedV2Beta1)
	case formatLegacy:
		doc := d.legacy
		if d.dynamicAddress {
			doc = mustEncode(apiVersions(r.Host))
		}
		serve(w, r, contentTypeJSON, doc)
	default:
		writeStatus(w, http.StatusNotAcceptable, metav1.StatusReasonNotAcceptable,
			"only the following media types are accepted: application/json, "+contentTypeAggregated+", "+contentTypeAggregatedV2Beta1)
	}
}

// serve writes doc with its ETag, or 304 when the client has it.
func serve(w http.ResponseWriter, r *http.Request, contentType string, doc encoded) {
	w.Header().Set("ETag", doc.etag)
	if etagMatches(r.Header.Get("If-None-Match"), doc.etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(doc.body)
	}
}

func etagMatches(header, etag string) bool {
	for _, candidate := range strings.Split(header, ",") {
		candidate = strings.TrimPrefix(strings.TrimSpace(candidate), "W/")
		if candidate == etag || candidate == "*" {
			return true
		}
	}
	return false
}

func etagOf(body []byte) string {
	sum := sha256.Sum256(body)
	return `"` + hex.EncodeToString(sum[:]) + `"`
}

// mustEncode serializes a document as upstream's JSON serializer does
// (compact, newline-terminated).
func mustEncode(obj any) encoded {
	body, err := json.Marshal(obj)
	if err != nil {
		panic(fmt.Sprintf("discovery: encode %T: %v", obj, err)) // typed documents always encode
	}
	body = append(body, '\n')
	return encoded{body: body, etag: etagOf(body)}
}

// writeStatus answers with a metav1.Status, as upstream does for errors.
func writeStatus(w http.ResponseWriter, code int, reason metav1.StatusReason, message string) {
	status := metav1.Status{
		TypeMeta: metav1.TypeMeta{Kind: "Status", APIVersion: "v1"},
		Status:   metav1.StatusFailure,
		Message:  message,
		Reason:   reason,
		Details:  &metav1.StatusDetails{},
		Code:     int32(code),
	}
	body, _ := json.Marshal(status)
	w.Header().Set("Content-Type", contentTypeJSON)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	_, _ = w.Write(append(body, '\n'))
}
