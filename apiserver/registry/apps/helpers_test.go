package apps

import (
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

var (
	testNow     = time.Date(2024, 8, 1, 12, 0, 0, 0, time.UTC)
	fixedNow    = func() time.Time { return testNow }
	createdTime = metav1.NewTime(testNow.Add(-5 * time.Minute))
)

func podTemplate(labels map[string]string) corev1.PodTemplateSpec {
	return corev1.PodTemplateSpec{
		ObjectMeta: metav1.ObjectMeta{Labels: labels},
		Spec: corev1.PodSpec{Containers: []corev1.Container{
			{Name: "web", Image: "nginx:1.27"},
			{Name: "sidecar", Image: "busybox"},
		}},
	}
}

// expectErrors checks that errs holds exactly the wanted messages
// (field.Error.Error() strings), in any order.
func expectErrors(t *testing.T, errs field.ErrorList, want ...string) {
	t.Helper()
	got := make([]string, len(errs))
	for i, e := range errs {
		got[i] = e.Error()
	}
	if len(got) != len(want) {
		t.Fatalf("errors:\n  got  %q\n  want %q", got, want)
	}
	for _, w := range want {
		found := false
		for _, g := range got {
			if g == w {
				found = true
			}
		}
		if !found {
			t.Fatalf("missing error %q in\n  %s", w, strings.Join(got, "\n  "))
		}
	}
}

// expectErrorPrefixes checks that errs holds one error starting with each
// prefix (for messages that end in a Go-syntax value dump).
func expectErrorPrefixes(t *testing.T, errs field.ErrorList, prefixes ...string) {
	t.Helper()
	if len(errs) != len(prefixes) {
		t.Fatalf("got %d errors, want %d: %v", len(errs), len(prefixes), errs)
	}
	for _, p := range prefixes {
		found := false
		for _, e := range errs {
			if strings.HasPrefix(e.Error(), p) {
				found = true
			}
		}
		if !found {
			t.Fatalf("no error starts with %q: %v", p, errs)
		}
	}
}

func intstrOne() intstr.IntOrString { return intstr.FromInt32(1) }

func int64Ptr(v int64) *int64 { return &v }
