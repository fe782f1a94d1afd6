package endpoints

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/skiff-dev/skiff/apiserver/scheme"
)

// TestProtobufAnswers: a client that lists protobuf first (upstream's
// daemons) gets protobuf for the kinds that have it, JSON otherwise.
func TestProtobufAnswers(t *testing.T) {
	codecs := scheme.NewCodecs(scheme.New())
	h := NewHandler(nil, codecs, nil)
	pod := &corev1.Pod{TypeMeta: metav1.TypeMeta{Kind: "Pod", APIVersion: "v1"},
		ObjectMeta: metav1.ObjectMeta{Name: "p", Namespace: "ns", Labels: map[string]string{"a": "b"}},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "i"}}}}
	item := *pod
	item.TypeMeta = metav1.TypeMeta{} // list items carry no type in protobuf
	list := &corev1.PodList{TypeMeta: metav1.TypeMeta{Kind: "PodList", APIVersion: "v1"},
		ListMeta: metav1.ListMeta{ResourceVersion: "9"}, Items: []corev1.Pod{item, item}}
	const upstreams = "application/vnd.kubernetes.protobuf, */*"
	tests := []struct {
		name, accept string
		obj, into    runtime.Object
		wantType     string
	}{
		{"pod", upstreams, pod, &corev1.Pod{}, mediaProtobuf},
		{"list", upstreams, list, &corev1.PodList{}, mediaProtobuf},
		{"status", upstreams, &metav1.Status{TypeMeta: metav1.TypeMeta{Kind: "Status", APIVersion: "v1"}, Status: "Failure", Code: 404}, &metav1.Status{}, mediaProtobuf},
		{"unstructured list", upstreams, &unstructured.UnstructuredList{Object: map[string]any{"apiVersion": "x/v1", "kind": "ThingList"}}, nil, mediaJSON},
		{"table asked in protobuf first", "application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io, application/json", pod, nil, mediaJSON},
		{"json first", "application/json, application/vnd.kubernetes.protobuf", pod, nil, mediaJSON},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/api/v1/namespaces/ns/pods", nil)
			r.Header.Set("Accept", tt.accept)
			rec := httptest.NewRecorder()
			h.writeObject(rec, r, http.StatusOK, tt.obj)
			if got := rec.Header().Get("Content-Type"); got != tt.wantType {
				t.Fatalf("Content-Type %q, want %q", got, tt.wantType)
			}
			if tt.into == nil {
				return
			}
			if err := runtime.DecodeInto(codecs.Protobuf, rec.Body.Bytes(), tt.into); err != nil {
				t.Fatalf("decode the protobuf answer: %v", err)
			}
			tt.into.GetObjectKind().SetGroupVersionKind(tt.obj.GetObjectKind().GroupVersionKind())
			if !apiequality.Semantic.DeepEqual(tt.into, tt.obj) {
				t.Errorf("decoded %+v, want %+v", tt.into, tt.obj)
			}
		})
	}
}

// TestProtobufAnswersReuseNoMemoryStillInUse: answers encoded at once into
// reused buffers, small, large and past the gzip threshold, each arrive
// whole (run with -race).
func TestProtobufAnswersReuseNoMemoryStillInUse(t *testing.T) {
	codecs := scheme.NewCodecs(scheme.New())
	h := NewHandler(nil, codecs, nil)
	sizes := []int{10, 3000, 70 << 10, gzipThreshold + 1}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 25 {
				n := sizes[(w+i)%len(sizes)]
				cm := &corev1.ConfigMap{TypeMeta: metav1.TypeMeta{Kind: "ConfigMap", APIVersion: "v1"},
					ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("cm-%d-%d", w, i)},
					Data:       map[string]string{"k": strings.Repeat(string(rune('a'+w)), n)}}
				r := httptest.NewRequest(http.MethodGet, "/api/v1/namespaces/ns/configmaps/x", nil)
				r.Header.Set("Accept", mediaProtobuf)
				rec := httptest.NewRecorder()
				h.writeObject(rec, r, http.StatusOK, cm)
				var got corev1.ConfigMap
				if err := runtime.DecodeInto(codecs.Protobuf, rec.Body.Bytes(), &got); err != nil {
					t.Errorf("decode %s: %v", cm.Name, err)
					return
				}
				if got.Name != cm.Name || got.Data["k"] != cm.Data["k"] {
					t.Errorf("%s arrived as %s with %d bytes of data, want %d", cm.Name, got.Name, len(got.Data["k"]), n)
					return
				}
			}
		}()
	}
	wg.Wait()
}
