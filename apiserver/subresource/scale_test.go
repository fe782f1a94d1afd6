package subresource

import (
	"net/http"
	"strings"
	"testing"

	"go.uber.org/zap/zaptest"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv1 "k8s.io/api/autoscaling/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/skiff-dev/skiff/apiserver/endpoints"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

func template() corev1.PodTemplateSpec {
	return corev1.PodTemplateSpec{
		ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "web"}},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "busybox"}}},
	}
}

func scaleBody(name, rv string, replicas int32) autoscalingv1.Scale {
	return autoscalingv1.Scale{
		TypeMeta:   metav1.TypeMeta{APIVersion: "autoscaling/v1", Kind: "Scale"},
		ObjectMeta: metav1.ObjectMeta{Name: name, ResourceVersion: rv},
		Spec:       autoscalingv1.ScaleSpec{Replicas: replicas},
	}
}

func TestScale(t *testing.T) {
	e := newEnv(t)
	var opts []endpoints.Option
	for _, k := range Scalables() {
		opts = append(opts, endpoints.WithSubresource(k.GVR, "scale", NewScale(zaptest.NewLogger(t), e.codecs, e.store(k.GVR.GroupResource().String()), k)))
	}
	srv := e.serve(opts...)
	two := int32(2)
	d := e.create("deployments.apps", "ns", &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "web"},
		Spec:       appsv1.DeploymentSpec{Replicas: &two, Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}}, Template: template()},
	})
	e.setStatus("deployments.apps", "ns", "web", func(obj storage.Object) { obj.(*appsv1.Deployment).Status.Replicas = 1 })
	path := "/apis/apps/v1/namespaces/ns/deployments/web/scale"

	var scale autoscalingv1.Scale
	resp := do(t, srv, http.MethodGet, path, "", nil)
	resp.into(t, &scale)
	current := e.get("deployments.apps", "ns", "web")
	if resp.code != http.StatusOK || scale.Kind != "Scale" || scale.APIVersion != "autoscaling/v1" || scale.Spec.Replicas != 2 ||
		scale.Status.Replicas != 1 || scale.Status.Selector != "app=web" || scale.UID != d.GetUID() ||
		scale.ResourceVersion != current.GetResourceVersion() || scale.Namespace != "ns" {
		t.Fatalf("GET scale: %d %s", resp.code, resp.body)
	}

	resp = do(t, srv, http.MethodPut, path, "application/json", scaleBody("web", scale.ResourceVersion, 5))
	resp.into(t, &scale)
	if resp.code != http.StatusOK || scale.Spec.Replicas != 5 {
		t.Fatalf("PUT scale: %d %s", resp.code, resp.body)
	}
	if dep := e.get("deployments.apps", "ns", "web").(*appsv1.Deployment); *dep.Spec.Replicas != 5 || dep.Generation != 2 || dep.ResourceVersion != scale.ResourceVersion {
		t.Errorf("deployment after scale: replicas %d generation %d rv %s/%s", *dep.Spec.Replicas, dep.Generation, dep.ResourceVersion, scale.ResourceVersion)
	}

	for _, tt := range []struct {
		name, method, contentType string
		body                      any
		code                      int
		want                      string
	}{
		{"stale resourceVersion", http.MethodPut, "application/json", scaleBody("web", current.GetResourceVersion(), 6), http.StatusConflict,
			`Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again`},
		{"name mismatch", http.MethodPut, "application/json", scaleBody("other", "", 6), http.StatusBadRequest,
			"the name of the object (other) does not match the name on the URL (web)"},
		{"negative", http.MethodPut, "application/json", scaleBody("web", "", -1), http.StatusUnprocessableEntity,
			`Scale.autoscaling "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0`},
		{"not a Scale", http.MethodPut, "application/json", map[string]any{"apiVersion": "apps/v1", "kind": "Deployment"}, http.StatusBadRequest,
			"the API version in the data (apps/v1) does not match the expected API version (autoscaling/v1)"},
		{"patch type", http.MethodPatch, "application/json", map[string]any{}, http.StatusUnsupportedMediaType,
			"the body of the request was in an unknown format"},
		{"failed json patch test", http.MethodPatch, "application/json-patch+json", []byte(`[{"op":"test","path":"/spec/replicas","value":99}]`), http.StatusUnprocessableEntity,
			"the server rejected our request due to an error in our request"},
		{"patch with stale resourceVersion", http.MethodPatch, "application/merge-patch+json", []byte(`{"metadata":{"resourceVersion":"` + current.GetResourceVersion() + `"},"spec":{"replicas":9}}`), http.StatusConflict,
			"the object has been modified"},
		{"delete", http.MethodDelete, "", nil, http.StatusMethodNotAllowed, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp := do(t, srv, tt.method, path, tt.contentType, tt.body)
			if st := resp.status(t); resp.code != tt.code || !strings.Contains(st.Message, tt.want) {
				t.Errorf("got %d %q, want %d with %q", resp.code, st.Message, tt.code, tt.want)
			}
		})
	}

	for _, tt := range []struct {
		contentType, patch string
		want               int32
	}{
		{"application/merge-patch+json", `{"spec":{"replicas":3}}`, 3},
		{"application/json-patch+json", `[{"op":"replace","path":"/spec/replicas","value":4}]`, 4},
		{"application/strategic-merge-patch+json", `{"spec":{"replicas":1}}`, 1},
	} {
		resp := do(t, srv, http.MethodPatch, path, tt.contentType, []byte(tt.patch))
		var got autoscalingv1.Scale
		resp.into(t, &got)
		if resp.code != http.StatusOK || got.Spec.Replicas != tt.want {
			t.Errorf("%s: %d %s", tt.contentType, resp.code, resp.body)
		}
	}
	if dep := e.get("deployments.apps", "ns", "web").(*appsv1.Deployment); *dep.Spec.Replicas != 1 {
		t.Errorf("after patches: %d replicas", *dep.Spec.Replicas)
	}

	resp = do(t, srv, http.MethodPut, path+"?dryRun=All", "application/json", scaleBody("web", "", 7))
	resp.into(t, &scale)
	if resp.code != http.StatusOK || scale.Spec.Replicas != 7 {
		t.Errorf("dry run: %d %s", resp.code, resp.body)
	}
	if dep := e.get("deployments.apps", "ns", "web").(*appsv1.Deployment); *dep.Spec.Replicas != 1 {
		t.Errorf("a dry-run scale was written: %d", *dep.Spec.Replicas)
	}
	if resp := do(t, srv, http.MethodGet, "/apis/apps/v1/namespaces/ns/deployments/nope/scale", "", nil); resp.code != http.StatusNotFound ||
		!strings.Contains(resp.status(t).Message, `deployments.apps "nope" not found`) {
		t.Errorf("missing deployment: %d %s", resp.code, resp.body)
	}

	// Replication controllers' selector is a map.
	e.create("replicationcontrollers", "ns", &corev1.ReplicationController{
		ObjectMeta: metav1.ObjectMeta{Name: "rc"},
		Spec:       corev1.ReplicationControllerSpec{Replicas: &two, Selector: map[string]string{"app": "web", "tier": "front"}, Template: labeledTemplate(template())},
	})
	rcPath := "/api/v1/namespaces/ns/replicationcontrollers/rc/scale"
	resp = do(t, srv, http.MethodPut, rcPath, "application/json", scaleBody("rc", "", 0))
	var rcScale autoscalingv1.Scale
	resp.into(t, &rcScale)
	if resp.code != http.StatusOK || rcScale.Spec.Replicas != 0 || rcScale.Status.Selector != "app=web,tier=front" {
		t.Errorf("RC scale: %d %s", resp.code, resp.body)
	}
	if rc := e.get("replicationcontrollers", "ns", "rc").(*corev1.ReplicationController); *rc.Spec.Replicas != 0 {
		t.Errorf("RC after scale: %d replicas", *rc.Spec.Replicas)
	}
}

func labeledTemplate(t corev1.PodTemplateSpec) *corev1.PodTemplateSpec {
	t.Labels = map[string]string{"app": "web", "tier": "front"}
	return &t
}

func TestScalablesReadAndWrite(t *testing.T) {
	sel := &metav1.LabelSelector{MatchLabels: map[string]string{"app": "db"}}
	three := int32(3)
	objs := map[string]storage.Object{
		"deployments":            &appsv1.Deployment{Spec: appsv1.DeploymentSpec{Replicas: &three, Selector: sel}, Status: appsv1.DeploymentStatus{Replicas: 2}},
		"replicasets":            &appsv1.ReplicaSet{Spec: appsv1.ReplicaSetSpec{Replicas: &three, Selector: sel}, Status: appsv1.ReplicaSetStatus{Replicas: 2}},
		"statefulsets":           &appsv1.StatefulSet{Spec: appsv1.StatefulSetSpec{Replicas: &three, Selector: sel}, Status: appsv1.StatefulSetStatus{Replicas: 2}},
		"replicationcontrollers": &corev1.ReplicationController{Spec: corev1.ReplicationControllerSpec{Replicas: &three, Selector: map[string]string{"app": "db"}}, Status: corev1.ReplicationControllerStatus{Replicas: 2}},
	}
	for _, k := range Scalables() {
		t.Run(k.GVR.Resource, func(t *testing.T) {
			obj := objs[k.GVR.Resource]
			spec, status, selector, err := k.read(obj)
			if err != nil || spec != 3 || status != 2 || selector != "app=db" {
				t.Errorf("read: %d %d %q %v", spec, status, selector, err)
			}
			if err := k.write(obj, 8); err != nil {
				t.Fatal(err)
			}
			if spec, _, _, _ := k.read(obj); spec != 8 {
				t.Errorf("after write: %d", spec)
			}
			if _, _, _, err := k.read(&corev1.Pod{}); err == nil {
				t.Error("another kind must be refused")
			}
			if err := k.write(&corev1.Pod{}, 1); err == nil {
				t.Error("another kind must be refused")
			}
		})
	}
}
