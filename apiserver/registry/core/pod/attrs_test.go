package pod

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/fields"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

func TestGetAttrs(t *testing.T) {
	pod := newPod()
	pod.Labels = map[string]string{"app": "web"}
	pod.Spec.NodeName = "n1"
	pod.Spec.HostNetwork = true
	pod.Status = corev1.PodStatus{Phase: corev1.PodRunning, PodIPs: []corev1.PodIP{{IP: "10.0.0.1"}, {IP: "fd00::1"}}, NominatedNodeName: "n2"}
	l, f, err := GetAttrs(pod)
	if err != nil || l["app"] != "web" {
		t.Fatalf("labels %v, %v", l, err)
	}
	want := fields.Set{
		"metadata.name": "web", "metadata.namespace": "default",
		"spec.nodeName": "n1", "spec.host": "n1", "spec.restartPolicy": "Always", "spec.schedulerName": "default-scheduler",
		"spec.serviceAccountName": "default", "spec.hostNetwork": "true",
		"status.phase": "Running", "status.podIP": "10.0.0.1", "status.nominatedNodeName": "n2",
	}
	if len(f) != len(want) {
		t.Errorf("fields %v", f)
	}
	for k, v := range want {
		if f[k] != v {
			t.Errorf("%s = %q, want %q", k, f[k], v)
		}
	}
	// Every selectable field parses as a selector the resource accepts.
	res := Resources()[0]
	for _, sf := range res.SelectableFields {
		if _, err := fields.ParseSelector(sf + "=x"); err != nil {
			t.Errorf("%s: %v", sf, err)
		}
	}
	pred := storage.Predicate{Field: fields.OneTermEqualSelector("spec.nodeName", "n1"), GetAttrs: res.GetAttrs}
	if ok, err := pred.Matches(pod); !ok || err != nil {
		t.Errorf("spec.nodeName=n1 does not match: %v", err)
	}
}

func TestResourceDescription(t *testing.T) {
	res := Resources()[0]
	if res.StoragePrefix != "pods" || res.GVR.Resource != "pods" || !res.Namespaced || !res.ReturnDeletedObject || res.Status == nil {
		t.Errorf("resource %+v", res)
	}
	if res.ShortNames[0] != "po" || res.Categories[0] != "all" {
		t.Errorf("names %v %v", res.ShortNames, res.Categories)
	}
	if _, ok := res.Strategy.(registry.GracefulDeleter); !ok {
		t.Error("pods are deleted gracefully")
	}
}
