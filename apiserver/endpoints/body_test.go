package endpoints

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/skiff-dev/skiff/apiserver/scheme"
)

// TestDecodeBodies decodes request bodies of each media type as a create
// or an update would, with each fieldValidation.
func TestDecodeBodies(t *testing.T) {
	h := NewHandler(nil, scheme.NewCodecs(scheme.New()), nil)
	podGVK := schema.GroupVersionKind{Version: "v1", Kind: "Pod"}
	const pod = `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"i"}]}}`
	tests := []struct {
		name, media, validation, body string
		wantErr                       string // in the 400's message; "" for none
		wantWarning                   string // in the Warning header
	}{
		{name: "json", media: "application/json", body: pod},
		{name: "json without type", media: "application/json", body: `{"metadata":{"name":"p"}}`},
		{name: "yaml", media: "application/yaml", body: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n"},
		{name: "json of another kind", media: "application/json", body: `{"apiVersion":"v1","kind":"Service","metadata":{"name":"p"}}`,
			wantErr: "the kind in the data (Service) does not match the expected kind (Pod)"},
		{name: "json of another kind that does not decode", media: "application/json",
			body:    `{"apiVersion":"v1","kind":"Service","metadata":{"name":"p"},"spec":{"ports":[{"port":80}],"containers":"x"}}`,
			wantErr: "the kind in the data (Service) does not match the expected kind (Pod)"},
		{name: "json of another version", media: "application/json", body: `{"apiVersion":"apps/v1","kind":"Pod"}`,
			wantErr: "the API version in the data (apps/v1) does not match the expected API version (v1)"},
		{name: "yaml of another kind", media: "application/yaml", body: "apiVersion: v1\nkind: Service\n",
			wantErr: "the kind in the data (Service) does not match the expected kind (Pod)"},
		{name: "malformed json", media: "application/json", body: `{"metadata":`, wantErr: "Pod in version \"v1\" cannot be handled as a Pod"},
		{name: "mistyped field", media: "application/json", body: `{"spec":{"containers":"x"}}`, wantErr: "cannot unmarshal string"},
		{name: "unknown field, Strict", media: "application/json", validation: "Strict", body: `{"spec":{"bogus":1}}`,
			wantErr: `strict decoding error: unknown field "spec.bogus"`},
		{name: "unknown field, Warn", media: "application/json", body: `{"spec":{"bogus":1}}`, wantWarning: `unknown field \"spec.bogus\"`},
		{name: "unknown field, Ignore", media: "application/json", validation: "Ignore", body: `{"spec":{"bogus":1}}`},
		{name: "duplicate field, Strict", media: "application/json", validation: "Strict", body: `{"metadata":{"name":"a","name":"b"}}`,
			wantErr: `duplicate field "metadata.name"`},
		{name: "unknown yaml field, Strict", media: "application/yaml", validation: "Strict", body: "spec:\n  bogus: 1\n",
			wantErr: `unknown field "spec.bogus"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/api/v1/namespaces/d/pods?fieldValidation="+tt.validation, strings.NewReader(tt.body))
			r.Header.Set("Content-Type", tt.media)
			rec := httptest.NewRecorder()
			q := &request{h: h, w: rec, r: r}
			obj := &corev1.Pod{}
			err := q.decodeInto([]byte(tt.body), podGVK, obj)
			if tt.wantErr != "" {
				if !apierrors.IsBadRequest(err) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want a 400 saying %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if obj.GroupVersionKind() != podGVK {
				t.Errorf("decoded kind %v, want %v", obj.GroupVersionKind(), podGVK)
			}
			if warning := rec.Header().Get("Warning"); !strings.Contains(warning, tt.wantWarning) || (tt.wantWarning == "") != (warning == "") {
				t.Errorf("Warning %q, want %q", warning, tt.wantWarning)
			}
		})
	}
}

// countingReader counts the reads of a body.
type countingReader struct {
	r     *strings.Reader
	reads int
}

func (c *countingReader) Read(p []byte) (int, error) {
	c.reads++
	return c.r.Read(p)
}

func TestReadBody(t *testing.T) {
	h := NewHandler(nil, scheme.NewCodecs(scheme.New()), nil, WithMaxRequestBodyBytes(100))
	tests := []struct {
		name      string
		body      string
		length    int64 // the declared Content-Length; -1 unknown
		wantCode  int32 // 0: read whole
		wantReads int   // at most, when read whole
	}{
		{name: "declared", body: strings.Repeat("a", 80), length: 80, wantReads: 1},
		{name: "declared empty", body: "", length: 0, wantReads: 1},
		{name: "declared at the limit", body: strings.Repeat("a", 100), length: 100, wantReads: 1},
		{name: "shorter than declared", body: "abc", length: 10, wantCode: http.StatusBadRequest},
		{name: "declared past the limit", body: strings.Repeat("a", 101), length: 101, wantCode: http.StatusRequestEntityTooLarge},
		{name: "unknown length", body: strings.Repeat("a", 80), length: -1, wantReads: 3},
		{name: "unknown length past the limit", body: strings.Repeat("a", 101), length: -1, wantCode: http.StatusRequestEntityTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := &countingReader{r: strings.NewReader(tt.body)}
			r := httptest.NewRequest(http.MethodPost, "/api/v1/namespaces/a/configmaps", body)
			r.ContentLength = tt.length
			q := &request{h: h, r: r}
			got, err := q.readBody()
			if tt.wantCode != 0 {
				if status, ok := err.(apierrors.APIStatus); !ok || status.Status().Code != tt.wantCode {
					t.Fatalf("readBody: %v, want a %d", err, tt.wantCode)
				}
				return
			}
			if err != nil || string(got) != tt.body {
				t.Fatalf("readBody: %q, %v, want the body", got, err)
			}
			if body.reads > tt.wantReads {
				t.Errorf("the body was read %d times, want at most %d", body.reads, tt.wantReads)
			}
		})
	}
}
