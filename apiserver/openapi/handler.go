package openapi

import (
	"bytes"
	"crypto/sha512"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	openapiv2 "github.com/google/gnostic-models/openapiv2"
	openapiv3 "github.com/google/gnostic-models/openapiv3"
	"go.uber.org/zap"
	"google.golang.org/protobuf/proto"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/skiff-dev/skiff/apiserver/discovery"
)

// Media types of the documents, as upstream names them.
const (
	mediaJSON         = "application/json"
	mediaV2Protobuf   = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf"
	mediaV2ProtobufAt = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf"
	mediaV3Protobuf   = "application/com.github.proto-openapi.spec.v3.v1.0+protobuf"
	mediaV3ProtobufAt = "application/com.github.proto-openapi.spec.v3@v1.0+protobuf"
)

// Handler serves /openapi/v2, /openapi/v3 and /openapi/v3/<group version>.
type Handler struct {
	logger   *zap.Logger
	built    time.Time
	v2       *document
	v3       map[string]*document // "apis/apps/v1" → document
	v3Index  []byte
	v3IndexE string
}

// document is one served document: its JSON, its ETag (the SHA-512 of the
// JSON, as upstream computes it), and its protobuf form, made on first
// demand. Both are held gzipped: the documents are megabytes of JSON that
// compress tenfold, and nearly every client accepts gzip.
type document struct {
	json     compressed
	etag     string
	toProto  func([]byte) ([]byte, error)
	once     sync.Once
	protobuf compressed
	protoErr error
}

func newDocument(v map[string]any, toProto func([]byte) ([]byte, error)) (*document, error) {
	data, etag, err := encode(v)
	if err != nil {
		return nil, err
	}
	return &document{json: data, etag: etag, toProto: toProto}, nil
}

func (d *document) proto() (compressed, error) {
	d.once.Do(func() {
		data, err := d.json.bytes()
		if err != nil {
			d.protoErr = err
			return
		}
		data, d.protoErr = d.toProto(data)
		d.protobuf = compress(data)
	})
	return d.protobuf, d.protoErr
}

func v2Proto(data []byte) ([]byte, error) {
	doc, err := openapiv2.ParseDocument(data)
	if err != nil {
		return nil, err
	}
	return proto.Marshal(doc)
}

func v3Proto(data []byte) ([]byte, error) {
	doc, err := openapiv3.ParseDocument(data)
	if err != nil {
		return nil, err
	}
	return proto.Marshal(doc)
}

// New builds the documents of resources once. gitVersion goes into each
// document's info.version.
func New(logger *zap.Logger, resources []discovery.Resource, gitVersion string) (*Handler, error) {
	if logger == nil {
		logger = zap.NewNop()
	}
	s, err := build(resources, gitVersion)
	if err != nil {
		return nil, fmt.Errorf("build OpenAPI documents: %w", err)
	}
	h := &Handler{logger: logger, built: time.Now().UTC().Truncate(time.Second), v3: map[string]*document{}}
	if h.v2, err = newDocument(s.v2, v2Proto); err != nil {
		return nil, fmt.Errorf("encode OpenAPI v2: %w", err)
	}
	type entry struct {
		ServerRelativeURL string `json:"serverRelativeURL"`
	}
	index := map[string]map[string]entry{"paths": {}}
	for gv, spec := range s.v3 {
		d, err := newDocument(spec, v3Proto)
		if err != nil {
			return nil, fmt.Errorf("encode OpenAPI v3 %s: %w", gv, err)
		}
		h.v3[gv] = d
		index["paths"][gv] = entry{ServerRelativeURL: v3URL(gv, d.etag)}
	}
	if h.v3Index, err = json.Marshal(index); err != nil {
		return nil, fmt.Errorf("encode OpenAPI v3 index: %w", err)
	}
	h.v3IndexE = fmt.Sprintf("%X", sha512.Sum512(h.v3Index))
	return h, nil
}

// v3URL is where a group version's document is served, with its hash.
func v3URL(gv, etag string) string {
	return "/openapi/v3/" + gv + "?" + url.Values{"hash": {etag}}.Encode()
}

// GroupVersions lists the group versions that have a v3 document.
func (h *Handler) GroupVersions() []string {
	out := make([]string, 0, len(h.v3))
	for gv := range h.v3 {
		out = append(out, gv)
	}
	sort.Strings(out)
	return out
}

// ServeHTTP answers GET /openapi/v2, /openapi/v3 and /openapi/v3/<gv>.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	if path != "/openapi/v2" && path != "/openapi/v3" && !strings.HasPrefix(path, "/openapi/v3/") {
		writeStatus(w, http.StatusNotFound, metav1.StatusReasonNotFound, "the server could not find the requested resource")
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		writeStatus(w, http.StatusMethodNotAllowed, metav1.StatusReasonMethodNotAllowed,
			"the server does not allow this method on the requested resource")
		return
	}
	switch {
	case path == "/openapi/v2":
		h.serveDocument(w, r, h.v2, mediaV2Protobuf, mediaV2ProtobufAt)
	case path == "/openapi/v3":
		w.Header().Set("Content-Type", mediaJSON)
		w.Header().Set("ETag", strconv.Quote(h.v3IndexE))
		http.ServeContent(w, r, "", h.built, bytes.NewReader(h.v3Index))
	default:
		gv := strings.TrimPrefix(path, "/openapi/v3/")
		d, ok := h.v3[gv]
		if !ok {
			writeStatus(w, http.StatusNotFound, metav1.StatusReasonNotFound, "the server could not find the requested resource")
			return
		}
		if hash := r.URL.Query().Get("hash"); hash != "" {
			if hash != d.etag {
				// The client has an old index: send it to the current document.
				http.Redirect(w, r, v3URL(gv, d.etag), http.StatusMovedPermanently)
				return
			}
			// A hashed URL never changes its content.
			w.Header().Set("Cache-Control", "public, immutable")
			w.Header().Set("Expires", time.Now().AddDate(1, 0, 0).UTC().Format(http.TimeFormat))
		}
		h.serveDocument(w, r, d, mediaV3Protobuf, mediaV3ProtobufAt)
	}
}

// serveDocument answers with the JSON or protobuf form of d, whichever the
// Accept header lists first.
func (h *Handler) serveDocument(w http.ResponseWriter, r *http.Request, d *document, protobuf, protobufAt string) {
	w.Header().Add("Vary", "Accept")
	for _, mt := range acceptedTypes(r.Header.Get("Accept")) {
		var body compressed
		contentType := mediaJSON
		switch mt {
		case mediaJSON, "application/*", "*/*":
			body = d.json
		case protobuf, protobufAt:
			data, err := d.proto()
			if err != nil {
				h.logger.Error("encode OpenAPI document as protobuf", zap.Error(err))
				writeStatus(w, http.StatusInternalServerError, metav1.StatusReasonInternalError, "OpenAPI document not available as protobuf")
				return
			}
			body, contentType = data, protobuf
		default:
			continue
		}
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("ETag", strconv.Quote(d.etag))
		h.serveCompressed(w, r, body)
		return
	}
	writeStatus(w, http.StatusNotAcceptable, metav1.StatusReasonNotAcceptable,
		"only the following media types are accepted: "+mediaJSON+", "+protobuf)
}

// acceptedTypes lists the media types of an Accept header, highest
// quality first and in the client's order among equals.
func acceptedTypes(header string) []string {
	if strings.TrimSpace(header) == "" {
		return []string{"*/*"}
	}
	type clause struct {
		mt string
		q  float64
	}
	var clauses []clause
	for _, part := range strings.Split(header, ",") {
		// Parsed by hand: upstream's protobuf media types hold an "@",
		// which mime.ParseMediaType rejects.
		fields := strings.Split(part, ";")
		mt := strings.ToLower(strings.TrimSpace(fields[0]))
		if mt == "" {
			continue
		}
		q := 1.0
		for _, param := range fields[1:] {
			k, v, _ := strings.Cut(param, "=")
			if strings.TrimSpace(k) == "q" {
				parsed, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
				if err != nil {
					parsed = 0
				}
				q = parsed
			}
		}
		if q > 0 {
			clauses = append(clauses, clause{mt, q})
		}
	}
	sort.SliceStable(clauses, func(i, j int) bool { return clauses[i].q > clauses[j].q })
	out := make([]string, len(clauses))
	for i, c := range clauses {
		out[i] = c.mt
	}
	return out
}

// writeStatus answers with a metav1.Status, as upstream does for errors.
func writeStatus(w http.ResponseWriter, code int, reason metav1.StatusReason, message string) {
	body, _ := json.Marshal(metav1.Status{
		TypeMeta: metav1.TypeMeta{Kind: "Status", APIVersion: "v1"},
		Status:   metav1.StatusFailure, Message: message, Reason: reason,
		Details: &metav1.StatusDetails{}, Code: int32(code),
	})
	w.Header().Set("Content-Type", mediaJSON)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	_, _ = w.Write(append(body, '\n'))
}
