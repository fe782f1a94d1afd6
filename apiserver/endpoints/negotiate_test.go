package endpoints

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/skiff-dev/skiff/apiserver/scheme"
)

func TestLargeAnswersAreGzippedWhenAccepted(t *testing.T) {
	h := NewHandler(nil, scheme.NewCodecs(scheme.New()), nil)
	big := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "big"}, Data: map[string]string{"x": strings.Repeat("a", 200<<10)}}
	small := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "small"}}
	tests := []struct {
		name     string
		obj      *corev1.ConfigMap
		encoding string
		gzipped  bool
	}{
		{"large, gzip accepted", big, "gzip", true},
		{"large, gzip among others", big, "deflate, gzip;q=0.5", true},
		{"large, no gzip", big, "", false},
		{"small, gzip accepted", small, "gzip", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/api/v1/namespaces/d/configmaps/x", nil)
			r.Header.Set("Accept-Encoding", tt.encoding)
			rec := httptest.NewRecorder()
			h.writeObject(rec, r, http.StatusOK, tt.obj)
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
			b, _ := io.ReadAll(body)
			if !strings.Contains(string(b), `"name":"`+tt.obj.Name+`"`) {
				t.Errorf("body does not hold the object: %.80s", b)
			}
		})
	}
}
