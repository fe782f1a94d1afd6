package fieldmanager

import (
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

const applyConfigMap = `apiVersion: v1
kind: ConfigMap
metadata:
  name: cm
  namespace: default
data:
`

// applyStep is one write in a sequence: an apply (patch set) or an update.
type applyStep struct {
	manager string
	patch   string                                      // an apply from manager
	force   bool                                        //
	update  func(current runtime.Object) runtime.Object // else an update by manager
}

func TestApply(t *testing.T) {
	m := newTestManager(t)
	tests := []struct {
		name  string
		steps []applyStep
		check func(t *testing.T, obj runtime.Object)
		want  []entry
		// untimed managers' applies changed nothing: upstream records no time
		untimed []string
		errMsg  string
	}{{
		name:  "apply creates",
		steps: []applyStep{{manager: "ssa", patch: applyConfigMap + "  a: \"1\"\n"}},
		check: func(t *testing.T, obj runtime.Object) {
			if got := obj.(*corev1.ConfigMap).Data; !reflect.DeepEqual(got, map[string]string{"a": "1"}) {
				t.Errorf("data = %v", got)
			}
		},
		want: []entry{{"ssa", "Apply", "v1", "FieldsV1", "", `{"f:data":{"f:a":{}}}`}},
	}, {
		name: "apply again with a change",
		steps: []applyStep{
			{manager: "ssa", patch: applyConfigMap + "  a: \"1\"\n"},
			{manager: "ssa", patch: applyConfigMap + "  a: \"2\"\n  b: \"3\"\n"},
		},
		check: func(t *testing.T, obj runtime.Object) {
			if got := obj.(*corev1.ConfigMap).Data; !reflect.DeepEqual(got, map[string]string{"a": "2", "b": "3"}) {
				t.Errorf("data = %v", got)
			}
		},
		want: []entry{{"ssa", "Apply", "v1", "FieldsV1", "", `{"f:data":{"f:a":{},"f:b":{}}}`}},
	}, {
		name: "a field another manager set conflicts",
		steps: []applyStep{
			{manager: "kubectl-client-side-apply", update: func(runtime.Object) runtime.Object {
				return configMap(map[string]string{"color": "blue"})
			}},
			{manager: "ssa", patch: applyConfigMap + "  color: red\n"},
		},
		errMsg: `Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: .data.color`,
	}, {
		name: "the same value is shared, not a conflict",
		steps: []applyStep{
			{manager: "kubectl-client-side-apply", update: func(runtime.Object) runtime.Object {
				return configMap(map[string]string{"color": "blue"})
			}},
			{manager: "ssa", patch: applyConfigMap + "  color: blue\n"},
		},
		untimed: []string{"ssa"},
		want: []entry{
			{"ssa", "Apply", "v1", "FieldsV1", "", `{"f:data":{"f:color":{}}}`},
			{"kubectl-client-side-apply", "Update", "v1", "FieldsV1", "", `{"f:data":{".":{},"f:color":{}},"f:metadata":{"f:labels":{".":{},"f:app":{}}}}`},
		},
	}, {
		name: "force takes ownership",
		steps: []applyStep{
			{manager: "kubectl-client-side-apply", update: func(runtime.Object) runtime.Object {
				return configMap(map[string]string{"color": "blue"})
			}},
			{manager: "ssa", patch: applyConfigMap + "  color: red\n", force: true},
		},
		check: func(t *testing.T, obj runtime.Object) {
			if got := obj.(*corev1.ConfigMap).Data["color"]; got != "red" {
				t.Errorf("color = %q, want red", got)
			}
		},
		want: []entry{
			{"ssa", "Apply", "v1", "FieldsV1", "", `{"f:data":{"f:color":{}}}`},
			{"kubectl-client-side-apply", "Update", "v1", "FieldsV1", "", `{"f:data":{},"f:metadata":{"f:labels":{".":{},"f:app":{}}}}`},
		},
	}, {
		name: "two conflicts are listed by manager",
		steps: []applyStep{
			{manager: "kubectl-client-side-apply", update: func(runtime.Object) runtime.Object {
				return configMap(map[string]string{"color": "blue", "size": "s"})
			}},
			{manager: "ssa", patch: applyConfigMap + "  color: red\n  size: m\n"},
		},
		errMsg: "Apply failed with 2 conflicts: conflicts with \"kubectl-client-side-apply\" using v1:\n- .data.color\n- .data.size",
	}, {
		name: "a field removed from the applied config is removed",
		steps: []applyStep{
			{manager: "ssa", patch: applyConfigMap + "  a: \"1\"\n  b: \"2\"\n"},
			{manager: "ssa", patch: applyConfigMap + "  a: \"1\"\n"},
		},
		check: func(t *testing.T, obj runtime.Object) {
			if got := obj.(*corev1.ConfigMap).Data; !reflect.DeepEqual(got, map[string]string{"a": "1"}) {
				t.Errorf("data = %v", got)
			}
		},
		want: []entry{{"ssa", "Apply", "v1", "FieldsV1", "", `{"f:data":{"f:a":{}}}`}},
	}, {
		name: "a removed field another applier shares stays",
		steps: []applyStep{
			{manager: "ssa", patch: applyConfigMap + "  a: \"1\"\n  b: \"2\"\n"},
			{manager: "other", patch: applyConfigMap + "  b: \"2\"\n"},
			{manager: "ssa", patch: applyConfigMap + "  a: \"1\"\n"},
		},
		untimed: []string{"other"},
		check: func(t *testing.T, obj runtime.Object) {
			if got := obj.(*corev1.ConfigMap).Data; !reflect.DeepEqual(got, map[string]string{"a": "1", "b": "2"}) {
				t.Errorf("data = %v", got)
			}
		},
		want: []entry{
			{"other", "Apply", "v1", "FieldsV1", "", `{"f:data":{"f:b":{}}}`},
			{"ssa", "Apply", "v1", "FieldsV1", "", `{"f:data":{"f:a":{}}}`},
		},
	}, {
		name: "containers merge by name and keep other managers' entries",
		steps: []applyStep{
			{manager: "kubectl-create", update: func(runtime.Object) runtime.Object {
				return deployment(corev1.Container{Name: "app", Image: "app:1"})
			}},
			{manager: "ssa", patch: `{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default"},` +
				`"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"proxy:2"}]}}}}`},
		},
		check: func(t *testing.T, obj runtime.Object) {
			var names []string
			for _, c := range obj.(*appsv1.Deployment).Spec.Template.Spec.Containers {
				names = append(names, c.Name+"="+c.Image)
			}
			if want := []string{"app=app:1", "sidecar=proxy:2"}; !reflect.DeepEqual(names, want) {
				t.Errorf("containers = %v, want %v", names, want)
			}
		},
		want: []entry{
			{"ssa", "Apply", "apps/v1", "FieldsV1", "", `{"f:spec":{"f:template":{"f:spec":{"f:containers":{"k:{\"name\":\"sidecar\"}":{".":{},"f:image":{},"f:name":{}}}}}}}`},
			{"kubectl-create", "Update", "apps/v1", "FieldsV1", "", `{"f:spec":{"f:replicas":{},"f:selector":{},` +
				`"f:template":{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"app\"}":{".":{},` +
				`"f:image":{},"f:name":{},"f:resources":{}}}}}}}`},
		},
	}, {
		name: "service ports merge by port and protocol, protocol defaulting to TCP",
		steps: []applyStep{
			{manager: "ssa", patch: `{"apiVersion":"v1","kind":"Service","metadata":{"name":"web","namespace":"default"},` +
				`"spec":{"ports":[{"port":80,"targetPort":8080}]}}`},
			{manager: "other", patch: `{"apiVersion":"v1","kind":"Service","metadata":{"name":"web","namespace":"default"},` +
				`"spec":{"ports":[{"port":443,"protocol":"TCP"}]}}`},
		},
		check: func(t *testing.T, obj runtime.Object) {
			if got := len(obj.(*corev1.Service).Spec.Ports); got != 2 {
				t.Errorf("%d ports, want 2", got)
			}
		},
		want: []entry{
			{"other", "Apply", "v1", "FieldsV1", "", `{"f:spec":{"f:ports":{"k:{\"port\":443,\"protocol\":\"TCP\"}":{".":{},"f:port":{},"f:protocol":{}}}}}`},
			{"ssa", "Apply", "v1", "FieldsV1", "", `{"f:spec":{"f:ports":{"k:{\"port\":80,\"protocol\":\"TCP\"}":{".":{},"f:port":{},"f:targetPort":{}}}}}`},
		},
	}, {
		name: "the main resource's apply owns no status",
		steps: []applyStep{
			{manager: "ssa", patch: `{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default"},` +
				`"spec":{"replicas":2},"status":{"replicas":2}}`},
		},
		want: []entry{{"ssa", "Apply", "apps/v1", "FieldsV1", "", `{"f:spec":{"f:replicas":{}}}`}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var current runtime.Object
			var err error
			for _, s := range tt.steps {
				km := m.ForKind(kindOf(t, s), "")
				var out runtime.Object
				if s.update != nil {
					out, err = km.Update(current, s.update(current), s.manager)
				} else {
					out, err = km.Apply(current, []byte(s.patch), s.manager, s.force)
				}
				if err != nil {
					break
				}
				current = withUID(out.(metav1.Object)).(runtime.Object)
			}
			if tt.errMsg != "" {
				checkConflict(t, err, tt.errMsg)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.check != nil {
				tt.check(t, current)
			}
			equalEntries(t, entriesOf(t, current, tt.untimed...), tt.want)
		})
	}
}

// kindOf is the kind a step writes.
func kindOf(t *testing.T, s applyStep) (gvk schema.GroupVersionKind) {
	switch {
	case s.update != nil:
		obj := s.update(nil)
		switch obj.(type) {
		case *corev1.ConfigMap:
			return configMapGVK
		case *appsv1.Deployment:
			return deploymentGVK
		}
	case strings.Contains(s.patch, "Deployment"):
		return deploymentGVK
	case strings.Contains(s.patch, "Service"):
		return serviceGVK
	default:
		return configMapGVK
	}
	t.Fatalf("no kind for step %+v", s)
	return gvk
}

// checkConflict checks err is upstream's apply conflict: 409, reason
// Conflict, msg, and one FieldManagerConflict cause per field.
func checkConflict(t *testing.T, err error, msg string) {
	t.Helper()
	status, ok := err.(apierrors.APIStatus)
	if !ok {
		t.Fatalf("error %v (%T) is not an API status", err, err)
	}
	s := status.Status()
	if s.Code != http.StatusConflict || s.Reason != metav1.StatusReasonConflict || s.Message != msg {
		t.Fatalf("status = %d %s %q, want 409 Conflict %q", s.Code, s.Reason, s.Message, msg)
	}
	fields := strings.Count(msg, ".data.")
	if s.Details == nil || len(s.Details.Causes) != fields {
		t.Fatalf("causes = %+v, want %d", s.Details, fields)
	}
	for _, c := range s.Details.Causes {
		if c.Type != metav1.CauseTypeFieldManagerConflict || c.Message != `conflict with "kubectl-client-side-apply" using v1` ||
			!strings.HasPrefix(c.Field, ".data.") {
			t.Errorf("cause = %+v", c)
		}
	}
}

func TestApplyErrors(t *testing.T) {
	m := newTestManager(t)
	km := m.ForKind(configMapGVK, "")
	tests := []struct {
		name  string
		patch string
		code  int32
		msg   string
	}{
		{"not YAML", "a: [", http.StatusBadRequest, "error decoding YAML: error converting YAML to JSON: yaml: line 1: did not find expected node content"},
		{"not an object", "[1, 2]", http.StatusBadRequest, "error decoding YAML: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}"},
		{"empty", "", http.StatusBadRequest, "invalid object type: /, Kind="},
		{"another kind", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: cm\n", http.StatusBadRequest, "invalid object type: /v1, Kind=Secret"},
		{"another version", "apiVersion: v2\nkind: ConfigMap\nmetadata:\n  name: cm\n", http.StatusBadRequest, "invalid object type: /v2, Kind=ConfigMap"},
		{"managedFields set", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  managedFields: []\n", http.StatusBadRequest, "metadata.managedFields must be nil"},
		{"unknown field", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\nspec: {}\n", http.StatusInternalServerError,
			"Internal error occurred: failed to create typed patch object (/cm; /v1, Kind=ConfigMap): .spec: field not declared in schema"},
		{"wrong type", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata: [1]\n", http.StatusInternalServerError,
			"Internal error occurred: failed to create typed patch object (/cm; /v1, Kind=ConfigMap): .data: expected map, got &{[1]}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := km.Apply(nil, []byte(tt.patch), "ssa", false)
			if err == nil {
				t.Fatal("no error")
			}
			s := apierrors.APIStatus(nil)
			if !errors.As(err, &s) {
				s = apierrors.NewInternalError(err) // what the handler makes of a plain error
			}
			if got := s.Status(); got.Code != tt.code || got.Message != tt.msg {
				t.Errorf("status = %d %q, want %d %q", got.Code, got.Message, tt.code, tt.msg)
			}
		})
	}
}

func TestApplyLeavesCurrentAlone(t *testing.T) {
	m := newTestManager(t)
	km := m.ForKind(configMapGVK, "")
	out, err := km.Update(nil, configMap(map[string]string{"a": "1"}), "kubectl-create")
	if err != nil {
		t.Fatal(err)
	}
	current := withUID(out.(*corev1.ConfigMap))
	before := current.DeepCopy()
	applied, err := km.Apply(current, []byte(applyConfigMap+"  a: \"2\"\n"), "ssa", true)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(current, before) {
		t.Errorf("Apply changed current:\n got %+v\nwant %+v", current, before)
	}
	if applied.(*corev1.ConfigMap).Data["a"] != "2" || applied.(*corev1.ConfigMap).UID != current.UID {
		t.Errorf("applied = %+v", applied)
	}
}

func TestStrictApplyPatchError(t *testing.T) {
	if err := StrictApplyPatchError([]byte(applyConfigMap + "  a: \"1\"\n")); err != nil {
		t.Errorf("valid patch: %v", err)
	}
	err := StrictApplyPatchError([]byte(applyConfigMap + "  a: \"1\"\n  a: \"2\"\n"))
	if err == nil || !strings.Contains(err.Error(), `key "a" already set in map`) {
		t.Errorf("duplicate field: %v", err)
	}
}
