package core

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/skiff-dev/skiff/apiserver/storage"
)

// podTemplate is a valid template once defaulted.
func podTemplate(labels map[string]string) corev1.PodTemplateSpec {
	return corev1.PodTemplateSpec{
		ObjectMeta: metav1.ObjectMeta{Labels: labels},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "web", Image: "nginx:1.27"}, {Name: "log", Image: "busybox"}}},
	}
}

func TestPodTemplate(t *testing.T) {
	s := podTemplateStrategy{}
	pt := &corev1.PodTemplate{ObjectMeta: meta("t"), Template: podTemplate(map[string]string{"app": "web"})}
	s.Default(pt)
	if pt.Template.Spec.RestartPolicy != corev1.RestartPolicyAlways {
		t.Errorf("pod defaults not applied: %+v", pt.Template.Spec)
	}
	s.PrepareForCreate(ctx, pt)
	if pt.Generation != 1 {
		t.Errorf("generation = %d", pt.Generation)
	}
	checkErrs(t, s.Validate(ctx, pt))

	bad := pt.DeepCopy()
	bad.Template.Spec.Containers[0].Image = ""
	checkErrs(t, s.Validate(ctx, bad), "template.spec.containers[0].image: Required value")

	// Generation moves with the template only.
	next := pt.DeepCopy()
	next.Labels = map[string]string{"x": "y"}
	s.PrepareForUpdate(ctx, next, pt)
	if next.Generation != 1 {
		t.Errorf("label change moved generation to %d", next.Generation)
	}
	next.Template.Spec.Containers[0].Image = "nginx:1.28"
	s.PrepareForUpdate(ctx, next, pt)
	if next.Generation != 2 {
		t.Errorf("template change: generation = %d", next.Generation)
	}

	checkRows(t, podTemplatesResource().Table, []storage.Object{pt}, false,
		[]string{"Name", "Containers", "Images", "Pod Labels"}, []any{"t", "web,log", "nginx:1.27,busybox", "app=web"})
}
