package endpoints

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"reflect"
	goruntime "runtime"
	"slices"
	"strings"
	"sync"

	"k8s.io/apimachinery/pkg/runtime"
)

// encodeJSON writes obj's JSON to w, the bytes the JSON serializer would
// write, but a list's items (or a Table's rows) one at a time: a LIST of
// thousands of objects is never whole in memory, and encoding/json's
// buffer pool, which keeps the largest buffer it ever grew, stays small.
func encodeJSON(w io.Writer, obj runtime.Object) error {
	head, items, ok := splitSequence(obj)
	if !ok {
		return json.NewEncoder(w).Encode(obj)
	}
	if _, err := w.Write(head); err != nil {
		return err
	}
	if err := encodeItems(w, items); err != nil {
		return err
	}
	_, err := w.Write([]byte("]}\n"))
	return err
}

// chunkItems is how many items one worker encodes at a time.
const chunkItems = 64

// encodeItems writes items' JSON, comma-separated, in order. A long
// sequence is encoded in chunks by up to GOMAXPROCS workers while the
// chunks already done are written: a large LIST's encoding, most of its
// time, spreads over the cores. At most two chunks per worker are held.
func encodeItems(w io.Writer, items reflect.Value) error {
	n := items.Len()
	workers := goruntime.GOMAXPROCS(0)
	if workers < 2 || n <= 2*chunkItems {
		res := encodeChunk(items, 0, n)
		if res.err != nil {
			return res.err
		}
		_, err := w.Write(res.data)
		return err
	}
	chunks := (n + chunkItems - 1) / chunkItems
	results := make([]chan chunk, chunks)
	for i := range results {
		results[i] = make(chan chunk, 1)
	}
	stop := make(chan struct{})
	defer close(stop)
	slots := make(chan struct{}, 2*workers) // chunks in flight or waiting to be written
	go func() {
		for c := range chunks {
			select {
			case slots <- struct{}{}:
			case <-stop:
				return
			}
			go func() {
				lo := c * chunkItems
				results[c] <- encodeChunk(items, lo, min(lo+chunkItems, n))
			}()
		}
	}()
	for c := range chunks {
		res := <-results[c]
		<-slots
		if res.err != nil {
			return res.err
		}
		if c > 0 {
			if _, err := w.Write([]byte{','}); err != nil {
				return err
			}
		}
		if _, err := w.Write(res.data); err != nil {
			return err
		}
	}
	return nil
}

// chunk is the JSON of items [lo, hi), comma-separated, or why it failed.
type chunk struct {
	data []byte
	err  error
}

func encodeChunk(items reflect.Value, lo, hi int) (res chunk) {
	// A worker's panic would not reach the request's recovery: it is the
	// request's error instead.
	defer func() {
		if r := recover(); r != nil {
			res = chunk{err: fmt.Errorf("encode items %d to %d: %v", lo, hi-1, r)}
		}
	}()
	var buf bytes.Buffer
	for i := lo; i < hi; i++ {
		b, err := json.Marshal(items.Index(i).Addr().Interface())
		if err != nil {
			return chunk{err: fmt.Errorf("encode item %d: %w", i, err)}
		}
		if i > lo {
			buf.WriteByte(',')
		}
		buf.Write(b)
	}
	return chunk{data: buf.Bytes()}
}

// sequenceFields are the fields that hold a response's many elements.
var sequenceFields = []string{"Items", "Rows"}

// splitSequence cuts obj's JSON before the elements of its last field when
// that field is a list's items or a Table's rows: head is the JSON up to
// and including the '[' that opens them. ok is false for other objects.
func splitSequence(obj runtime.Object) (head []byte, items reflect.Value, ok bool) {
	v := reflect.ValueOf(obj)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return nil, reflect.Value{}, false
	}
	v = v.Elem()
	last := v.Type().Field(v.NumField() - 1)
	if !slices.Contains(sequenceFields, last.Name) || last.Type.Kind() != reflect.Slice {
		return nil, reflect.Value{}, false
	}
	name, opts, _ := strings.Cut(last.Tag.Get("json"), ",")
	if name == "" || name == "-" || strings.Contains(opts, "omitempty") {
		return nil, reflect.Value{}, false
	}
	items = v.Field(v.NumField() - 1)
	if items.IsNil() {
		return nil, reflect.Value{}, false // "null", as the serializer writes
	}
	shell := reflect.New(v.Type()).Elem()
	shell.Set(v)
	shell.Field(v.NumField() - 1).Set(reflect.Zero(last.Type))
	b, err := json.Marshal(shell.Addr().Interface())
	if err != nil {
		return nil, reflect.Value{}, false
	}
	tail := []byte(`"` + name + `":null}`)
	if !bytes.HasSuffix(b, tail) {
		return nil, reflect.Value{}, false
	}
	head = append(b[:len(b)-len(tail)], `"`+name+`":[`...)
	return head, items, true
}

// deferredWriter holds the first gzipThreshold bytes of a response back:
// a response that stays under it goes out plain in one write; one that
// grows past it is gzipped when the client accepts gzip, as upstream
// decides by size.
type deferredWriter struct {
	w    http.ResponseWriter
	code int
	gzip bool // the client accepts gzip

	buf  []byte
	held *[]byte   // buf's pooled slot, when newDeferredWriter made d
	out  io.Writer // nil until the threshold is passed
	zw   *gzip.Writer
}

// heldBuffers are deferredWriter's buffers, reused: most answers are a
// single object, well under the threshold.
var heldBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 4<<10); return &b }}

// newDeferredWriter is a deferredWriter whose buffer is one of an earlier
// answer's; release hands it back.
func newDeferredWriter(w http.ResponseWriter, code int, gzip bool) *deferredWriter {
	held := heldBuffers.Get().(*[]byte)
	return &deferredWriter{w: w, code: code, gzip: gzip, held: held, buf: (*held)[:0]}
}

// release hands the buffer back for another answer, once the answer is
// written (or abandoned): whatever it was written to keeps none of it
// (io.Writer's contract). One that grew past maxPooledEncodeBuffer is
// dropped, and so is one given up to the writer past the threshold.
func (d *deferredWriter) release() {
	if d.held != nil && d.out == nil && cap(d.buf) <= maxPooledEncodeBuffer {
		*d.held = d.buf[:0]
		heldBuffers.Put(d.held)
	}
	d.held, d.buf = nil, nil
}

func (d *deferredWriter) Write(p []byte) (int, error) {
	if d.out != nil {
		return d.out.Write(p)
	}
	d.buf = append(d.buf, p...)
	if len(d.buf) <= gzipThreshold {
		return len(p), nil
	}
	if d.gzip {
		d.w.Header().Set("Content-Encoding", "gzip")
		d.w.Header().Add("Vary", "Accept-Encoding")
		d.zw, _ = gzip.NewWriterLevel(d.w, gzipLevel) // the level is valid
		d.out = d.zw
	} else {
		d.out = d.w
	}
	d.w.WriteHeader(d.code)
	buf := d.buf
	d.buf = nil
	if _, err := d.out.Write(buf); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Close sends what is held back, or ends the gzip stream.
func (d *deferredWriter) Close() error {
	if d.out == nil {
		d.w.WriteHeader(d.code)
		_, err := d.w.Write(d.buf)
		return err
	}
	if d.zw != nil {
		return d.zw.Close()
	}
	return nil
}
