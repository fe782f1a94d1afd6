package subresource

import (
	"net/http"
	"strings"
	"testing"

	"go.uber.org/zap/zaptest"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/skiff-dev/skiff/apiserver/endpoints"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

func binding(name, node string) map[string]any {
	return map[string]any{
		"apiVersion": "v1", "kind": "Binding",
		"metadata": map[string]any{"name": name, "annotations": map[string]string{"scheduler.example/score": "7"}},
		"target":   map[string]any{"apiVersion": "v1", "kind": "Node", "name": node},
	}
}

func TestBinding(t *testing.T) {
	e := newEnv(t)
	b := NewBinding(zaptest.NewLogger(t), e.codecs, e.store("pods"))
	srv := e.serve(
		endpoints.WithSubresource(podsGVR, "binding", b),
		endpoints.WithCreator(podsGVR.GroupVersion().WithResource("bindings"), bindingGVK, b),
	)
	e.createPod("ns", "p", nil)
	e.createPod("ns", "gated", func(p *corev1.Pod) {
		p.Spec.SchedulingGates = []corev1.PodSchedulingGate{{Name: "example.com/wait"}}
	})
	e.createPod("ns", "dry", nil)
	e.createPod("ns", "legacy", nil)
	stale := e.createPod("ns", "stale", nil)
	e.setStatus("pods", "ns", "stale", func(obj storage.Object) { obj.(*corev1.Pod).Status.Message = "moved" })

	resp := post(t, srv, "/api/v1/namespaces/ns/pods/p/binding", binding("p", "n1"))
	if st := resp.status(t); resp.code != http.StatusCreated || st.Status != metav1.StatusSuccess || st.Code != http.StatusCreated || st.Kind != "Status" {
		t.Fatalf("bind: %d %s", resp.code, resp.body)
	}
	bound := e.get("pods", "ns", "p").(*corev1.Pod)
	if bound.Spec.NodeName != "n1" || bound.Annotations["scheduler.example/score"] != "7" {
		t.Errorf("bound pod: node %q annotations %v", bound.Spec.NodeName, bound.Annotations)
	}
	if c := condition(bound, corev1.PodScheduled); c == nil || c.Status != corev1.ConditionTrue || c.LastTransitionTime.IsZero() {
		t.Errorf("PodScheduled condition %+v", c)
	}

	tests := []struct {
		name string
		path string
		body any
		code int
		want string
	}{
		{"already bound", "/api/v1/namespaces/ns/pods/p/binding", binding("p", "n2"), http.StatusConflict,
			`Operation cannot be fulfilled on pods/binding "p": pod p is already assigned to node "n1"`},
		{"gated", "/api/v1/namespaces/ns/pods/gated/binding", binding("gated", "n1"), http.StatusConflict,
			"pod gated has non-empty .spec.schedulingGates"},
		{"target not a node", "/api/v1/namespaces/ns/pods/dry/binding", map[string]any{
			"metadata": map[string]any{"name": "dry"}, "target": map[string]any{"kind": "Pod", "name": "x"}},
			http.StatusInternalServerError, `target.kind: Unsupported value: "Pod": supported values: "Node", "<empty>"`},
		{"no target name", "/api/v1/namespaces/ns/pods/dry/binding", map[string]any{"metadata": map[string]any{"name": "dry"}},
			http.StatusInternalServerError, "target.name: Required value"},
		{"name mismatch", "/api/v1/namespaces/ns/pods/dry/binding", binding("other", "n1"), http.StatusBadRequest,
			"name in URL does not match name in Binding object"},
		{"namespace mismatch", "/api/v1/namespaces/ns/pods/dry/binding", map[string]any{
			"metadata": map[string]any{"name": "dry", "namespace": "elsewhere"}, "target": map[string]any{"name": "n1"}},
			http.StatusBadRequest, "the namespace of the provided object does not match"},
		{"missing pod", "/api/v1/namespaces/ns/pods/missing/binding", binding("missing", "n1"), http.StatusNotFound,
			`pods "missing" not found`},
		{"stale resourceVersion", "/api/v1/namespaces/ns/pods/stale/binding", map[string]any{
			"metadata": map[string]any{"name": "stale", "resourceVersion": stale.ResourceVersion}, "target": map[string]any{"name": "n1"}},
			http.StatusConflict, "Precondition failed: ResourceVersion in precondition: " + stale.ResourceVersion},
		{"wrong kind in body", "/api/v1/namespaces/ns/pods/dry/binding", map[string]any{"apiVersion": "v1", "kind": "Pod", "metadata": map[string]any{"name": "dry"}},
			http.StatusBadRequest, "the kind in the data (Pod) does not match the expected kind (Binding)"},
		{"bad dryRun", "/api/v1/namespaces/ns/pods/dry/binding?dryRun=Some", binding("dry", "n1"), http.StatusUnprocessableEntity,
			`CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := post(t, srv, tt.path, tt.body)
			if st := resp.status(t); resp.code != tt.code || !strings.Contains(st.Message, tt.want) {
				t.Errorf("got %d %q, want %d with %q", resp.code, st.Message, tt.code, tt.want)
			}
		})
	}

	if resp := post(t, srv, "/api/v1/namespaces/ns/pods/dry/binding?dryRun=All", binding("dry", "n1")); resp.code != http.StatusCreated {
		t.Fatalf("dry run: %d %s", resp.code, resp.body)
	}
	if p := e.get("pods", "ns", "dry").(*corev1.Pod); p.Spec.NodeName != "" {
		t.Errorf("a dry-run binding was written: %q", p.Spec.NodeName)
	}
	if resp := do(t, srv, http.MethodGet, "/api/v1/namespaces/ns/pods/dry/binding", "", nil); resp.code != http.StatusMethodNotAllowed {
		t.Errorf("GET binding: %d %s", resp.code, resp.body)
	}

	// The legacy bindings resource names the pod in the body; a dry run
	// binds nothing.
	if resp := post(t, srv, "/api/v1/namespaces/ns/bindings?dryRun=All", binding("legacy", "n3")); resp.code != http.StatusCreated {
		t.Fatalf("legacy dry-run binding: %d %s", resp.code, resp.body)
	}
	if p := e.get("pods", "ns", "legacy").(*corev1.Pod); p.Spec.NodeName != "" {
		t.Errorf("a dry-run legacy binding was written: %q", p.Spec.NodeName)
	}
	if resp := post(t, srv, "/api/v1/namespaces/ns/bindings?dryRun=Some", binding("legacy", "n3")); resp.code != http.StatusUnprocessableEntity {
		t.Errorf("legacy binding with a bad dryRun: %d %s", resp.code, resp.body)
	}
	if resp := post(t, srv, "/api/v1/namespaces/ns/bindings", binding("legacy", "n3")); resp.code != http.StatusCreated {
		t.Fatalf("legacy binding: %d %s", resp.code, resp.body)
	}
	if p := e.get("pods", "ns", "legacy").(*corev1.Pod); p.Spec.NodeName != "n3" {
		t.Errorf("legacy binding: node %q", p.Spec.NodeName)
	}
}

func condition(p *corev1.Pod, t corev1.PodConditionType) *corev1.PodCondition {
	for i := range p.Status.Conditions {
		if p.Status.Conditions[i].Type == t {
			return &p.Status.Conditions[i]
		}
	}
	return nil
}
