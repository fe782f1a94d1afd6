package scheme

import (
	"encoding/json"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestStorageRoundTripsProtobufAndReadsJSON(t *testing.T) {
	c := NewCodecs(New()).Storage()
	pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "p", Namespace: "ns", Labels: map[string]string{"a": "b"}},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "busybox"}}}}
	data, err := c.Encode(pod)
	if err != nil {
		t.Fatal(err)
	}
	if string(data[:4]) != "k8s\x00" {
		t.Errorf("stored as %q…, want protobuf", data[:8])
	}
	var back corev1.Pod
	if err := c.Decode(data, &back); err != nil {
		t.Fatal(err)
	}
	if back.Name != "p" || back.Spec.Containers[0].Image != "busybox" || back.Labels["a"] != "b" {
		t.Errorf("round trip: %+v", back)
	}
	js, _ := json.Marshal(pod)
	var fromJSON corev1.Pod
	if err := c.Decode(js, &fromJSON); err != nil {
		t.Fatalf("JSON in etcd: %v", err)
	}
	if fromJSON.Spec.Containers[0].Name != "c" {
		t.Errorf("from JSON: %+v", fromJSON)
	}
}
