package core

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/registry/registrytest"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

func newRC(name string) *corev1.ReplicationController {
	t := podTemplate(map[string]string{"app": "web"})
	rc := &corev1.ReplicationController{ObjectMeta: metav1.ObjectMeta{Name: name}, Spec: corev1.ReplicationControllerSpec{Template: &t}}
	rcStrategy{}.Default(rc)
	return rc
}

func TestRCDefaults(t *testing.T) {
	rc := newRC("web")
	if *rc.Spec.Replicas != 1 || rc.Spec.Selector["app"] != "web" || rc.Labels["app"] != "web" {
		t.Errorf("defaults: replicas=%v selector=%v labels=%v", *rc.Spec.Replicas, rc.Spec.Selector, rc.Labels)
	}
	rc.Spec.Template.Labels["tier"] = "x"
	if len(rc.Spec.Selector) != 1 {
		t.Error("selector shares the template's labels map")
	}

	// A given selector and labels stay.
	tmpl := podTemplate(map[string]string{"app": "web", "v": "2"})
	kept := &corev1.ReplicationController{ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"own": "l"}},
		Spec: corev1.ReplicationControllerSpec{Selector: map[string]string{"app": "web"}, Replicas: ptr(int32(0)), Template: &tmpl}}
	rcStrategy{}.Default(kept)
	if len(kept.Spec.Selector) != 1 || kept.Labels["own"] != "l" || *kept.Spec.Replicas != 0 {
		t.Errorf("kept: %+v", kept)
	}
}

func TestRCValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(rc *corev1.ReplicationController)
		want   []string
	}{
		{"valid", func(*corev1.ReplicationController) {}, nil},
		{"selector mismatch", func(rc *corev1.ReplicationController) { rc.Spec.Selector = map[string]string{"app": "db"} },
			[]string{"spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`"}},
		{"restart policy", func(rc *corev1.ReplicationController) {
			rc.Spec.Template.Spec.RestartPolicy = corev1.RestartPolicyOnFailure
		},
			[]string{`spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"`}},
		{"active deadline", func(rc *corev1.ReplicationController) { rc.Spec.Template.Spec.ActiveDeadlineSeconds = ptr(int64(30)) },
			[]string{"spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicationController is not Supported"}},
		{"replicas and selector", func(rc *corev1.ReplicationController) {
			rc.Spec.Replicas = ptr(int32(-1))
			rc.Spec.Selector = nil
			rc.Spec.MinReadySeconds = -2
		}, []string{
			"spec.minReadySeconds: Invalid value: -2: must be greater than or equal to 0",
			"spec.selector: Required value",
			"spec.replicas: Invalid value: -1: must be greater than or equal to 0",
		}},
		{"no template", func(rc *corev1.ReplicationController) { rc.Spec.Template = nil }, []string{"spec.template: Required value"}},
		{"writable GCE disk for many replicas", func(rc *corev1.ReplicationController) {
			rc.Spec.Replicas = ptr(int32(2))
			rc.Spec.Template.Spec.Volumes = []corev1.Volume{{Name: "d", VolumeSource: corev1.VolumeSource{GCEPersistentDisk: &corev1.GCEPersistentDiskVolumeSource{PDName: "pd"}}}}
		}, []string{"spec.template.spec.volumes[0].gcePersistentDisk.readOnly: Invalid value: false: must be true for replicated pods > 1; GCE PD can only be mounted on multiple machines if it is read-only"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc := newRC("web")
			tt.change(rc)
			checkErrs(t, rcStrategy{}.Validate(ctx, rc), tt.want...)
		})
	}
}

func TestRCStatus(t *testing.T) {
	rc := newRC("web")
	rc.Status = corev1.ReplicationControllerStatus{Replicas: 2, ReadyReplicas: 3, AvailableReplicas: 4, ObservedGeneration: -1}
	checkErrs(t, rcStatusStrategy{}.ValidateUpdate(ctx, rc, rc.DeepCopy()),
		"status.observedGeneration: Invalid value: -1: must be greater than or equal to 0",
		"status.readyReplicas: Invalid value: 3: cannot be greater than status.replicas",
		"status.availableReplicas: Invalid value: 4: cannot be greater than status.replicas",
		"status.availableReplicas: Invalid value: 4: cannot be greater than readyReplicas")
}

func TestRCStoreGeneration(t *testing.T) {
	r := replicationControllersResource(clock)
	if r.StoragePrefix != "controllers" || r.Categories[0] != "all" || r.ShortNames[0] != "rc" {
		t.Errorf("resource = %+v", r)
	}
	st := registry.NewStore(r, registrytest.NewBackend(), nil)
	rc := newRC("web")
	rc.Status.Replicas = 5
	out, err := st.Create(ctx, "ns", rc, registry.WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := out.(*corev1.ReplicationController)
	if got.Generation != 1 || got.Status.Replicas != 0 {
		t.Fatalf("created generation=%d status=%+v", got.Generation, got.Status)
	}

	labelled := got.DeepCopy()
	labelled.Labels["extra"] = "1"
	out, _, err = st.Update(ctx, "ns", "web", "", put(labelled), registry.WriteOptions{})
	if err != nil || out.GetGeneration() != 1 {
		t.Fatalf("label update: generation=%d err=%v", out.GetGeneration(), err)
	}
	scaled := out.(*corev1.ReplicationController).DeepCopy()
	scaled.Spec.Replicas = ptr(int32(3))
	out, _, err = st.Update(ctx, "ns", "web", "", put(scaled), registry.WriteOptions{})
	if err != nil || out.GetGeneration() != 2 {
		t.Fatalf("spec update: generation=%d err=%v", out.GetGeneration(), err)
	}
	status := out.(*corev1.ReplicationController).DeepCopy()
	status.Status = corev1.ReplicationControllerStatus{Replicas: 3, ReadyReplicas: 1, ObservedGeneration: 2}
	status.Spec.Replicas = ptr(int32(9))
	out, _, err = st.Update(ctx, "ns", "web", "status", put(status), registry.WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	final := out.(*corev1.ReplicationController)
	if final.Status.Replicas != 3 || *final.Spec.Replicas != 3 || final.Generation != 2 {
		t.Errorf("status update: %+v", final)
	}
	_, f, _ := rcAttrs(final)
	if f["status.replicas"] != "3" {
		t.Errorf("attrs %v", f)
	}
}

func TestRCTable(t *testing.T) {
	rc := newRC("web")
	rc.CreationTimestamp = metav1.NewTime(created)
	rc.Spec.Replicas = ptr(int32(3))
	rc.Status = corev1.ReplicationControllerStatus{Replicas: 3, ReadyReplicas: 2}
	tf := replicationControllersResource(clock).Table
	checkRows(t, tf, []storage.Object{rc}, false, []string{"Name", "Desired", "Current", "Ready", "Age"},
		[]any{"web", int64(3), int64(3), int64(2), "5m"})
	checkRows(t, tf, []storage.Object{rc}, true,
		[]string{"Name", "Desired", "Current", "Ready", "Age", "Containers", "Images", "Selector"},
		[]any{"web", int64(3), int64(3), int64(2), "5m", "web,log", "nginx:1.27,busybox", "app=web"})
}
