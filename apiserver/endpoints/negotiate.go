package endpoints

import (
	"compress/gzip"
	"mime"
	"net/http"
	"strings"
	"sync"

	"go.uber.org/zap"

	"github.com/skiff-dev/skiff/apiserver/scheme"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// Media types.
const (
	mediaJSON     = "application/json"
	mediaYAML     = "application/yaml"
	mediaProtobuf = "application/vnd.kubernetes.protobuf"
)

// output is what the client accepts, read from Accept.
type output struct {
	media string // mediaJSON, mediaYAML or mediaProtobuf
	table bool   // as=Table;g=meta.k8s.io;v=v1
}

// negotiate reads Accept as upstream does: the first acceptable entry wins;
// JSON serves "*/*", absent and protobuf-or-JSON clients; a Table is given
// when asked for.
func negotiate(r *http.Request) (output, error) {
	accept := r.Header.Get("Accept")
	if accept == "" {
		return output{media: mediaJSON}, nil
	}
	for _, part := range strings.Split(accept, ",") {
		media, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch media {
		case mediaJSON, "*/*", "application/*":
			if params["as"] == "Table" {
				if params["g"] != "meta.k8s.io" || (params["v"] != "v1" && params["v"] != "v1beta1") {
					continue
				}
				return output{media: mediaJSON, table: true}, nil
			}
			if params["as"] != "" {
				continue // PartialObjectMetadata and other views: not served yet
			}
			return output{media: mediaJSON}, nil
		case mediaYAML:
			if params["as"] == "" {
				return output{media: mediaYAML}, nil
			}
		case mediaProtobuf:
			// Tables and other views have no protobuf form: the next
			// entry (JSON, for upstream's clients) serves them.
			if params["as"] == "" {
				return output{media: mediaProtobuf}, nil
			}
		}
	}
	return output{}, apierrors.NewGenericServerResponse(http.StatusNotAcceptable, "", schema.GroupResource{}, "",
		"only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf", 0, false)
}

// writeObject encodes obj as the request asked (JSON unless YAML was
// asked for) with the given status code.
func (h *Handler) writeObject(w http.ResponseWriter, r *http.Request, code int, obj runtime.Object) {
	out, negErr := negotiate(r)
	if negErr != nil {
		out = output{media: mediaJSON}
	}
	obj = h.withKind(obj)
	w.Header().Set("Content-Type", out.media)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	dw := newDeferredWriter(w, code, AcceptsGzip(r))
	defer dw.release()
	var err error
	switch {
	case out.media == mediaYAML:
		err = h.codecs.YAML.Encode(obj, dw)
	case out.media == mediaProtobuf && hasProtobuf(obj):
		err = h.encodeProtobuf(obj, dw)
	default:
		if out.media == mediaProtobuf { // a kind without a protobuf form
			w.Header().Set("Content-Type", mediaJSON)
		}
		err = encodeJSON(dw, obj)
	}
	if err != nil {
		h.logger.Error("encode response", zap.Error(err))
		if dw.out == nil { // nothing sent yet
			w.Header().Del("Content-Type")
			http.Error(w, "encode response: "+err.Error(), http.StatusInternalServerError)
		}
		return
	}
	_ = dw.Close()
}

// encodeBuffers are the protobuf serializer's buffers for answers, reused:
// the serializer writes its buffer to a deferredWriter, which copies it
// while it holds the answer back (below the gzip threshold).
var encodeBuffers = sync.Pool{New: func() any { return new(scheme.BufferAllocator) }}

// maxPooledEncodeBuffer bounds the buffers kept for answers: a large
// list's does not stay in memory.
const maxPooledEncodeBuffer = 64 << 10

// encodeProtobuf encodes obj to dw with a reused buffer.
func (h *Handler) encodeProtobuf(obj runtime.Object, dw *deferredWriter) error {
	a := encodeBuffers.Get().(*scheme.BufferAllocator)
	err := h.codecs.Protobuf.EncodeWithAllocator(obj, dw, a)
	// dw has copied or written the bytes: a writer keeps none of what it
	// is given (io.Writer's contract).
	if cap(a.Buf) <= maxPooledEncodeBuffer {
		encodeBuffers.Put(a)
	}
	return err
}

// hasProtobuf reports whether obj has a protobuf encoding (every built-in
// kind; not unstructured objects).
func hasProtobuf(obj runtime.Object) bool {
	_, ok := obj.(runtime.ProtobufMarshaller)
	return ok
}

// Upstream compresses answers above 128 KiB (lists, mostly) at gzip level 1
// when the client accepts gzip, as client-go does by default.
const (
	gzipThreshold = 128 << 10
	gzipLevel     = gzip.BestSpeed
)

// AcceptsGzip reports whether the request's Accept-Encoding lists gzip
// with a quality above zero.
func AcceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		coding, params, _ := strings.Cut(part, ";")
		if !strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			continue
		}
		q := strings.ReplaceAll(params, " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}

// withKind returns obj with apiVersion and kind set, copying it first when
// they are missing (objects may be shared with the watch cache).
func (h *Handler) withKind(obj runtime.Object) runtime.Object {
	if !obj.GetObjectKind().GroupVersionKind().Empty() {
		return obj
	}
	obj = obj.DeepCopyObject()
	if err := h.codecs.SetKind(obj); err != nil {
		h.logger.Warn("object of an unknown kind", zap.Error(err))
	}
	return obj
}
