package client

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func benchPod(i int) corev1.Pod {
	return corev1.Pod{
		TypeMeta: metav1.TypeMeta{Kind: "Pod", APIVersion: "v1"},
		ObjectMeta: metav1.ObjectMeta{
			Name: fmt.Sprintf("web-%d", i), Namespace: "default", UID: "6c2b1a46-0c0e-4f37-9d1e-5f1a0c2b1a46",
			ResourceVersion: fmt.Sprint(1000 + i), Labels: map[string]string{"app": "web", "tier": "frontend"},
		},
		Spec: corev1.PodSpec{NodeName: "node-1", Containers: []corev1.Container{{
			Name: "web", Image: "registry.local/web:1.0",
			Ports: []corev1.ContainerPort{{ContainerPort: 8080, Protocol: corev1.ProtocolTCP}},
			Resources: corev1.ResourceRequirements{Requests: corev1.ResourceList{
				corev1.ResourceCPU: resource.MustParse("100m"), corev1.ResourceMemory: resource.MustParse("64Mi"),
			}},
		}}},
		Status: corev1.PodStatus{Phase: corev1.PodRunning, PodIP: "10.244.0.5"},
	}
}

// BenchmarkListPods decodes a LIST of 3,000 pods through the whole client.
func BenchmarkListPods(b *testing.B) {
	l := List[corev1.Pod]{TypeMeta: metav1.TypeMeta{Kind: "PodList", APIVersion: "v1"}, ListMeta: metav1.ListMeta{ResourceVersion: "5000"}}
	for i := 0; i < 3000; i++ {
		l.Items = append(l.Items, benchPod(i))
	}
	body, _ := json.Marshal(l)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	defer srv.Close()
	c, err := New(&Config{Host: srv.URL, QPS: -1})
	if err != nil {
		b.Fatal(err)
	}
	pods := For[corev1.Pod](c, Pods)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		got, err := pods.List(context.Background(), metav1.ListOptions{})
		if err != nil || len(got.Items) != 3000 {
			b.Fatalf("%v %d", err, len(got.Items))
		}
	}
}

// BenchmarkWatchDecode decodes MODIFIED pod events from one watch stream;
// one op is one event.
func BenchmarkWatchDecode(b *testing.B) {
	ev, _ := json.Marshal(map[string]any{"type": "MODIFIED", "object": benchPod(1)})
	ev = append(ev, '\n')
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		for i := 0; i < b.N; i++ {
			_, _ = w.Write(ev)
		}
	}))
	defer srv.Close()
	c, err := New(&Config{Host: srv.URL, QPS: -1})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	w, err := For[corev1.Pod](c, Pods).Watch(context.Background(), metav1.ListOptions{})
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for range w.ResultChan() {
		n++
	}
	if n != b.N {
		b.Fatalf("%d events, want %d", n, b.N)
	}
}
