package openapi

import (
	"bytes"
	"compress/gzip"
	"crypto/sha512"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// uncompressed is a held document's body, failing t when it does not
// uncompress.
func uncompressed(t *testing.T, c compressed) []byte {
	t.Helper()
	data, err := c.bytes()
	if err != nil {
		t.Fatalf("uncompress: %v", err)
	}
	return data
}

// TestDocumentsServedGzippedOrPlain: a client that takes gzip gets the
// held bytes, one that does not the plain JSON; both the same document,
// and both answer If-None-Match with 304.
func TestDocumentsServedGzippedOrPlain(t *testing.T) {
	h := testHandler(t)
	want := string(uncompressed(t, h.v2.json))
	tests := []struct {
		encoding string
		gzipped  bool
	}{
		{"gzip", true},
		{"deflate, gzip;q=0.5", true},
		{"", false},
		{"gzip;q=0", false},
		{"br", false},
	}
	for _, tt := range tests {
		t.Run(tt.encoding, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/openapi/v2", nil)
			r.Header.Set("Accept", "application/json")
			r.Header.Set("Accept-Encoding", tt.encoding)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d", rec.Code)
			}
			if got := rec.Header().Get("Content-Encoding") == "gzip"; got != tt.gzipped {
				t.Fatalf("gzipped %v, want %v", got, tt.gzipped)
			}
			body := io.Reader(rec.Body)
			if tt.gzipped {
				zr, err := gzip.NewReader(rec.Body)
				if err != nil {
					t.Fatal(err)
				}
				body = zr
			}
			got, err := io.ReadAll(body)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != want {
				t.Errorf("body differs from the document (%d bytes, want %d)", len(got), len(want))
			}

			r = httptest.NewRequest(http.MethodGet, "/openapi/v2", nil)
			r.Header.Set("Accept-Encoding", tt.encoding)
			r.Header.Set("If-None-Match", rec.Header().Get("ETag"))
			rec = httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			if rec.Code != http.StatusNotModified {
				t.Errorf("conditional GET: status %d, want 304", rec.Code)
			}
		})
	}
	if !strings.HasPrefix(want, "{") {
		t.Errorf("document is not JSON: %.20q", want)
	}
}

// TestStreamedJSONIsMarshalled: the streamed encoding of every document,
// and of the corner cases, is byte for byte json.Marshal's.
func TestStreamedJSONIsMarshalled(t *testing.T) {
	specs, err := build(testResources(), "v1.31.3")
	if err != nil {
		t.Fatal(err)
	}
	docs := map[string]any{
		"v2":      specs.v2,
		"nil map": map[string]any(nil),
		"corners": map[string]any{"b": map[string]any{"<html>&": "x\u2028", "a": nil, "m": map[string]any{}}, "a": []any{1, "2"}},
	}
	for gv, d := range specs.v3 {
		docs[gv] = d
	}
	for name, doc := range docs {
		var streamed bytes.Buffer
		if err := streamJSON(&streamed, doc, streamDepth); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(streamed.Bytes(), want) {
			t.Errorf("%s: streamed JSON differs from json.Marshal's (%d bytes, want %d)", name, streamed.Len(), len(want))
		}
	}
	gz, etag, err := encode(specs.v2)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := json.Marshal(specs.v2)
	if got := uncompressed(t, gz); !bytes.Equal(got, want) {
		t.Error("encode's gzipped body is not the document")
	}
	if wantTag := fmt.Sprintf("%X", sha512.Sum512(want)); etag != wantTag {
		t.Errorf("ETag %s, want the SHA-512 of the JSON %s", etag, wantTag)
	}
}
