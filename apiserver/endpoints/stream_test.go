package endpoints

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// TestStreamedJSONIsTheSerializers: encodeJSON writes the bytes a single
// json.Encoder would, for lists, tables and other objects.
func TestStreamedJSONIsTheSerializers(t *testing.T) {
	pod := func(name string) corev1.Pod {
		return corev1.Pod{TypeMeta: metav1.TypeMeta{Kind: "Pod", APIVersion: "v1"},
			ObjectMeta: metav1.ObjectMeta{Name: name, Annotations: map[string]string{"html": "<a&b>"}}}
	}
	list := func(items []corev1.Pod) *corev1.PodList {
		return &corev1.PodList{TypeMeta: metav1.TypeMeta{Kind: "PodList", APIVersion: "v1"},
			ListMeta: metav1.ListMeta{ResourceVersion: "7", Continue: "c"}, Items: items}
	}
	p := pod("a")
	tests := []struct {
		name     string
		obj      runtime.Object
		streamed bool
	}{
		{"list", list([]corev1.Pod{pod("a"), pod("b"), pod("c")}), true},
		{"one item", list([]corev1.Pod{pod("a")}), true},
		{"no items", list([]corev1.Pod{}), true},
		{"nil items", list(nil), false},
		{"table", &metav1.Table{TypeMeta: metav1.TypeMeta{Kind: "Table", APIVersion: "meta.k8s.io/v1"},
			ColumnDefinitions: []metav1.TableColumnDefinition{{Name: "Name", Type: "string"}},
			Rows:              []metav1.TableRow{{Cells: []any{"a"}, Object: runtime.RawExtension{Object: &p}}, {Cells: []any{"b"}}}}, true},
		{"object", &p, false},
		{"status", &metav1.Status{Status: "Failure", Message: "<no>"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var want, got bytes.Buffer
			if err := json.NewEncoder(&want).Encode(tt.obj); err != nil {
				t.Fatal(err)
			}
			if err := encodeJSON(&got, tt.obj); err != nil {
				t.Fatal(err)
			}
			if got.String() != want.String() {
				t.Errorf("got  %s\nwant %s", got.String(), want.String())
			}
			if _, _, streamed := splitSequence(tt.obj); streamed != tt.streamed {
				t.Errorf("streamed %v, want %v", streamed, tt.streamed)
			}
		})
	}
}

// TestDeferredWriterDecidesBySize: a body up to the threshold goes out
// plain whatever the client accepts; past it, gzipped when accepted.
func TestDeferredWriterDecidesBySize(t *testing.T) {
	tests := []struct {
		name    string
		size    int
		gzip    bool
		gzipped bool
	}{
		{"empty", 0, true, false},
		{"at the threshold", gzipThreshold, true, false},
		{"past it, gzip accepted", gzipThreshold + 1, true, true},
		{"past it, no gzip", gzipThreshold + 1, false, false},
		{"large, gzip accepted", 5 * gzipThreshold, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := strings.Repeat("x", tt.size)
			rec := httptest.NewRecorder()
			dw := &deferredWriter{w: rec, code: 201, gzip: tt.gzip}
			for chunk := range chunks(body, 1000) { // many small writes, as a list's items
				if _, err := dw.Write([]byte(chunk)); err != nil {
					t.Fatal(err)
				}
			}
			if err := dw.Close(); err != nil {
				t.Fatal(err)
			}
			if rec.Code != 201 {
				t.Errorf("status %d, want 201", rec.Code)
			}
			if got := rec.Header().Get("Content-Encoding") == "gzip"; got != tt.gzipped {
				t.Fatalf("gzipped %v, want %v", got, tt.gzipped)
			}
			r := io.Reader(rec.Body)
			if tt.gzipped {
				zr, err := gzip.NewReader(rec.Body)
				if err != nil {
					t.Fatal(err)
				}
				r = zr
			}
			got, err := io.ReadAll(r)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != body {
				t.Errorf("body of %d bytes, want %d", len(got), len(body))
			}
		})
	}
}

// chunks yields s in pieces of at most n bytes.
func chunks(s string, n int) func(func(string) bool) {
	return func(yield func(string) bool) {
		for len(s) > 0 {
			k := min(n, len(s))
			if !yield(s[:k]) {
				return
			}
			s = s[k:]
		}
	}
}

// TestLongListsEncodeInParallelInOrder: a list long enough to be encoded
// by several workers comes out as one encoder would write it, and an item
// that cannot be encoded fails the whole.
func TestLongListsEncodeInParallelInOrder(t *testing.T) {
	for _, n := range []int{2*chunkItems + 1, 10*chunkItems + 7} {
		items := make([]metav1.Status, n)
		for i := range items {
			items[i] = metav1.Status{Message: strings.Repeat("m", i%7), Code: int32(i)}
		}
		list := &metav1.List{TypeMeta: metav1.TypeMeta{Kind: "List", APIVersion: "v1"}}
		for i := range items {
			list.Items = append(list.Items, runtime.RawExtension{Object: &items[i]})
		}
		var want, got bytes.Buffer
		if err := json.NewEncoder(&want).Encode(list); err != nil {
			t.Fatal(err)
		}
		if err := encodeJSON(&got, list); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Fatalf("%d items: streamed JSON differs (%d bytes, want %d)", n, got.Len(), want.Len())
		}
	}
	bad := &metav1.List{Items: make([]runtime.RawExtension, 5*chunkItems)}
	bad.Items[3*chunkItems+2] = runtime.RawExtension{Raw: []byte("{not json")}
	if err := encodeJSON(io.Discard, bad); err == nil || !strings.Contains(err.Error(), "encode item 194") {
		t.Errorf("an unencodable item: %v", err)
	}
}

// panicky panics when encoded.
type panicky struct{}

func (panicky) MarshalJSON() ([]byte, error) { panic("boom") }

// TestEncodingPanicIsAnError: a panic while a worker encodes is the
// request's error, not the server's crash.
func TestEncodingPanicIsAnError(t *testing.T) {
	items := make([]panicky, 3*chunkItems)
	if res := encodeChunk(reflect.ValueOf(items), 0, len(items)); res.err == nil || !strings.Contains(res.err.Error(), "boom") {
		t.Errorf("encodeChunk: %v", res.err)
	}
	if err := encodeItems(io.Discard, reflect.ValueOf(items)); err == nil {
		t.Error("encodeItems succeeded over panicking items")
	}
}

// An answer written through a reused buffer stays as it was sent when the
// buffer serves the next answer.
func TestDeferredWriterReusesItsBuffer(t *testing.T) {
	recs := make([]*httptest.ResponseRecorder, 3)
	for i := range recs {
		recs[i] = httptest.NewRecorder()
		dw := newDeferredWriter(recs[i], http.StatusCreated, false)
		if _, err := dw.Write([]byte(strings.Repeat(string(rune('a'+i)), 100))); err != nil {
			t.Fatal(err)
		}
		if err := dw.Close(); err != nil {
			t.Fatal(err)
		}
		dw.release()
	}
	for i, rec := range recs {
		if want := strings.Repeat(string(rune('a'+i)), 100); rec.Code != http.StatusCreated || rec.Body.String() != want {
			t.Errorf("answer %d: %d %q, want 201 %q", i, rec.Code, rec.Body, want)
		}
	}
}
