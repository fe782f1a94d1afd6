package fieldmanager

import (
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"
)

func configMap(data map[string]string) *corev1.ConfigMap {
	return &corev1.ConfigMap{
		ObjectMeta: metav1.ObjectMeta{Name: "cm", Namespace: "default", Labels: map[string]string{"app": "web"}},
		Data:       data,
	}
}

func deployment(containers ...corev1.Container) *appsv1.Deployment {
	labels := map[string]string{"app": "web"}
	return &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "default"},
		Spec: appsv1.DeploymentSpec{
			Replicas: ptr.To[int32](1),
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec:       corev1.PodSpec{Containers: containers},
			},
		},
	}
}

func TestUpdate(t *testing.T) {
	m := newTestManager(t)
	storedConfigMap := func(t *testing.T) *corev1.ConfigMap {
		out, err := m.ForKind(configMapGVK, "").Update(nil, configMap(map[string]string{"a": "1"}), "kubectl-create")
		if err != nil {
			t.Fatal(err)
		}
		return withUID(out.(*corev1.ConfigMap))
	}
	created := entry{"kubectl-create", "Update", "v1", "FieldsV1", "",
		`{"f:data":{".":{},"f:a":{}},"f:metadata":{"f:labels":{".":{},"f:app":{}}}}`}
	storedDeployment := func(t *testing.T) *appsv1.Deployment {
		d := deployment(corev1.Container{Name: "app", Image: "app:1"})
		out, err := m.ForKind(deploymentGVK, "").Update(nil, d, "kubectl-create")
		if err != nil {
			t.Fatal(err)
		}
		return withUID(out.(*appsv1.Deployment))
	}

	tests := []struct {
		name        string
		gvk         schema.GroupVersionKind
		subresource string
		old         func(t *testing.T) runtime.Object
		obj         func(t *testing.T, old runtime.Object) runtime.Object
		manager     string
		want        []entry
	}{{
		name:    "create records an Update entry",
		gvk:     configMapGVK,
		obj:     func(*testing.T, runtime.Object) runtime.Object { return configMap(map[string]string{"a": "1"}) },
		manager: "kubectl-create",
		want:    []entry{created},
	}, {
		name: "a second manager owns the field it adds",
		gvk:  configMapGVK,
		old:  func(t *testing.T) runtime.Object { return storedConfigMap(t) },
		obj: func(_ *testing.T, old runtime.Object) runtime.Object {
			cm := old.DeepCopyObject().(*corev1.ConfigMap)
			cm.Data["b"] = "2"
			return cm
		},
		manager: "kubectl-edit",
		want:    []entry{created, {"kubectl-edit", "Update", "v1", "FieldsV1", "", `{"f:data":{"f:b":{}}}`}},
	}, {
		name: "changing another manager's field takes it over",
		gvk:  configMapGVK,
		old:  func(t *testing.T) runtime.Object { return storedConfigMap(t) },
		obj: func(_ *testing.T, old runtime.Object) runtime.Object {
			cm := old.DeepCopyObject().(*corev1.ConfigMap)
			cm.Data["a"] = "changed"
			return cm
		},
		manager: "kubectl-edit",
		want: []entry{
			{"kubectl-create", "Update", "v1", "FieldsV1", "", `{"f:data":{},"f:metadata":{"f:labels":{".":{},"f:app":{}}}}`},
			{"kubectl-edit", "Update", "v1", "FieldsV1", "", `{"f:data":{"f:a":{}}}`},
		},
	}, {
		name: "an unchanged write records nothing new",
		gvk:  configMapGVK,
		old:  func(t *testing.T) runtime.Object { return storedConfigMap(t) },
		obj: func(_ *testing.T, old runtime.Object) runtime.Object {
			return old.DeepCopyObject()
		},
		manager: "kubectl-edit",
		want:    []entry{created},
	}, {
		name: "containers are keyed by name, ports by containerPort and protocol",
		gvk:  deploymentGVK,
		obj: func(*testing.T, runtime.Object) runtime.Object {
			return deployment(corev1.Container{Name: "app", Image: "app:1",
				Ports: []corev1.ContainerPort{{ContainerPort: 8080, Protocol: corev1.ProtocolTCP}}})
		},
		manager: "kubectl-create",
		want: []entry{{"kubectl-create", "Update", "apps/v1", "FieldsV1", "", `{"f:spec":{"f:replicas":{},"f:selector":{},` +
			`"f:template":{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"app\"}":{".":{},` +
			`"f:image":{},"f:name":{},"f:ports":{".":{},"k:{\"containerPort\":8080,\"protocol\":\"TCP\"}":{".":{},"f:containerPort":{},"f:protocol":{}}},` +
			`"f:resources":{}}}}}}}`}},
	}, {
		name: "service ports are keyed by port and protocol, the selector is atomic",
		gvk:  serviceGVK,
		obj: func(*testing.T, runtime.Object) runtime.Object {
			return &corev1.Service{
				ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "default"},
				Spec: corev1.ServiceSpec{
					Selector: map[string]string{"app": "web"},
					Ports:    []corev1.ServicePort{{Port: 80, Protocol: corev1.ProtocolTCP, TargetPort: intstr.FromInt32(8080)}},
				},
			}
		},
		manager: "kubectl-create",
		want: []entry{{"kubectl-create", "Update", "v1", "FieldsV1", "",
			`{"f:spec":{"f:ports":{".":{},"k:{\"port\":80,\"protocol\":\"TCP\"}":{".":{},"f:port":{},"f:protocol":{},"f:targetPort":{}}},"f:selector":{}}}`}},
	}, {
		name: "finalizers are a set",
		gvk:  podGVK,
		obj: func(*testing.T, runtime.Object) runtime.Object {
			return &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "p", Namespace: "default", Finalizers: []string{"example.com/keep"}}}
		},
		manager: "kubectl-create",
		want: []entry{{"kubectl-create", "Update", "v1", "FieldsV1", "",
			`{"f:metadata":{"f:finalizers":{".":{},"v:\"example.com/keep\"":{}}}}`}},
	}, {
		name:        "a status write is recorded with its subresource",
		gvk:         deploymentGVK,
		subresource: "status",
		old:         func(t *testing.T) runtime.Object { return storedDeployment(t) },
		obj: func(_ *testing.T, old runtime.Object) runtime.Object {
			d := old.DeepCopyObject().(*appsv1.Deployment)
			d.Status.Replicas = 1
			return d
		},
		manager: "kube-controller-manager",
		want: []entry{
			{"kube-controller-manager", "Update", "apps/v1", "FieldsV1", "status", `{"f:status":{"f:replicas":{}}}`},
			{"kubectl-create", "Update", "apps/v1", "FieldsV1", "", `{"f:spec":{"f:replicas":{},"f:selector":{},` +
				`"f:template":{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"app\"}":{".":{},` +
				`"f:image":{},"f:name":{},"f:resources":{}}}}}}}`},
		},
	}, {
		name: "the main resource records no status",
		gvk:  deploymentGVK,
		old:  func(t *testing.T) runtime.Object { return storedDeployment(t) },
		obj: func(_ *testing.T, old runtime.Object) runtime.Object {
			d := old.DeepCopyObject().(*appsv1.Deployment)
			d.Spec.Replicas = ptr.To[int32](3)
			d.Status.Replicas = 3
			return d
		},
		manager: "kubectl-scale",
		want: []entry{
			{"kubectl-create", "Update", "apps/v1", "FieldsV1", "", `{"f:spec":{"f:selector":{},` +
				`"f:template":{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"app\"}":{".":{},` +
				`"f:image":{},"f:name":{},"f:resources":{}}}}}}}`},
			{"kubectl-scale", "Update", "apps/v1", "FieldsV1", "", `{"f:spec":{"f:replicas":{}}}`},
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var old runtime.Object
			if tt.old != nil {
				old = tt.old(t)
			}
			out, err := m.ForKind(tt.gvk, tt.subresource).Update(old, tt.obj(t, old), tt.manager)
			if err != nil {
				t.Fatal(err)
			}
			equalEntries(t, entriesOf(t, out), tt.want)
		})
	}
}

func TestUpdateUntracked(t *testing.T) {
	m := newTestManager(t)
	km := m.ForKind(schema.GroupVersionKind{Group: "batch", Version: "v1", Kind: "Job"}, "")
	if km != nil {
		t.Fatal("ForKind of a kind not given to New is not nil")
	}
	if m.ForKind(configMapGVK, "status") != nil {
		t.Fatal("ForKind of a subresource not given to New is not nil")
	}
	cm := configMap(nil)
	cm.ManagedFields = []metav1.ManagedFieldsEntry{{Manager: "someone", Operation: metav1.ManagedFieldsOperationUpdate}}
	out, err := km.Update(nil, cm, "kubectl-create")
	if err != nil || out != cm || len(cm.ManagedFields) != 1 || cm.ManagedFields[0].Manager != "someone" {
		t.Fatalf("nil KindManager changed the object: %v %+v", err, cm.ManagedFields)
	}
	if _, err := km.Apply(nil, []byte(`{}`), "ssa", false); err == nil {
		t.Fatal("Apply through a nil KindManager did not fail")
	}
}

func TestNewRejectsUnknownKind(t *testing.T) {
	if _, err := New(nil, newTestScheme(t), []Kind{{GVK: schema.GroupVersionKind{Group: "example.com", Version: "v1", Kind: "Nope"}}}); err == nil {
		t.Fatal("New accepted a kind the scheme does not know")
	}
}
