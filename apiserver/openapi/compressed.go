package openapi

import (
	"bytes"
	"compress/gzip"
	"crypto/sha512"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"

	"go.uber.org/zap"

	"github.com/skiff-dev/skiff/apiserver/endpoints"
)

// compressed is a document body held gzipped.
type compressed []byte

// compress gzips data. Writing to memory cannot fail.
func compress(data []byte) compressed {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	_, _ = zw.Write(data)
	_ = zw.Close()
	return bytes.Clone(buf.Bytes())
}

// encode writes doc as JSON, exactly as json.Marshal would, straight into
// its gzipped form, and returns that with the ETag of the JSON (its
// SHA-512, as upstream computes it). The JSON is never whole in memory:
// json.Marshal would build it in a buffer that encoding/json then keeps
// in its pool for good, megabytes for the life of the server.
func encode(doc map[string]any) (compressed, string, error) {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	hash := sha512.New()
	if err := streamJSON(io.MultiWriter(zw, hash), doc, streamDepth); err != nil {
		return nil, "", err
	}
	if err := zw.Close(); err != nil {
		return nil, "", err
	}
	return bytes.Clone(buf.Bytes()), fmt.Sprintf("%X", hash.Sum(nil)), nil
}

// streamDepth is how many levels of maps streamJSON writes key by key:
// the document, its paths and definitions, and each of those; below that
// values are small.
const streamDepth = 3

// streamJSON writes v as json.Marshal would (maps with their keys
// sorted), marshalling maps depth levels deep key by key.
func streamJSON(w io.Writer, v any, depth int) error {
	m, ok := v.(map[string]any)
	if !ok || m == nil || depth == 0 {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		_, err = w.Write(b)
		return err
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if _, err := io.WriteString(w, "{"); err != nil {
		return err
	}
	for i, k := range keys {
		key, err := json.Marshal(k)
		if err != nil {
			return err
		}
		if i > 0 {
			key = append([]byte{','}, key...)
		}
		if _, err := w.Write(append(key, ':')); err != nil {
			return err
		}
		if err := streamJSON(w, m[k], depth-1); err != nil {
			return err
		}
	}
	_, err := io.WriteString(w, "}")
	return err
}

// bytes is the body uncompressed.
func (c compressed) bytes() ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(c))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}

// serveCompressed answers with body as it is, marked gzip, when the client
// takes gzip, and uncompressed otherwise. Both answer conditional
// requests by the ETag and Last-Modified already set.
func (h *Handler) serveCompressed(w http.ResponseWriter, r *http.Request, body compressed) {
	w.Header().Add("Vary", "Accept-Encoding")
	if endpoints.AcceptsGzip(r) {
		w.Header().Set("Content-Encoding", "gzip")
		http.ServeContent(w, r, "", h.built, bytes.NewReader(body))
		return
	}
	data, err := body.bytes()
	if err != nil {
		h.logger.Error("uncompress OpenAPI document", zap.Error(err))
		http.Error(w, "OpenAPI document unavailable", http.StatusInternalServerError)
		return
	}
	http.ServeContent(w, r, "", h.built, bytes.NewReader(data))
}
