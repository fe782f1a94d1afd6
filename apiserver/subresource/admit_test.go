package subresource

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"

	"go.uber.org/zap/zaptest"
	appsv1 "k8s.io/api/apps/v1"
	authenticationv1 "k8s.io/api/authentication/v1"
	autoscalingv1 "k8s.io/api/autoscaling/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/skiff-dev/skiff/apiserver/admission"
	"github.com/skiff-dev/skiff/apiserver/admission/noderestriction"
	"github.com/skiff-dev/skiff/apiserver/authentication"
	"github.com/skiff-dev/skiff/apiserver/endpoints"
)

// recorder is a mutating and validating admission plugin that records
// what each phase saw, changes the object as mutate says and refuses
// with deny when set.
type recorder struct {
	admission.Handler
	mu     sync.Mutex
	phases []string
	seen   []admission.Attributes
	deny   string
	mutate func(runtime.Object)
}

func newRecorder() *recorder {
	return &recorder{Handler: admission.NewHandler(admission.Create, admission.Update)}
}

func (p *recorder) record(phase string, a *admission.Attributes) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.phases = append(p.phases, phase)
	p.seen = append(p.seen, *a)
	if phase == "admit" && p.mutate != nil {
		p.mutate(a.Object)
	}
	if p.deny != "" {
		return admission.NewForbidden(a, errors.New(p.deny))
	}
	return nil
}

func (p *recorder) Admit(_ context.Context, a *admission.Attributes) error {
	return p.record("admit", a)
}

func (p *recorder) Validate(_ context.Context, a *admission.Attributes) error {
	return p.record("validate", a)
}

// reset forgets what was seen and sets the next requests' refusal and
// mutation.
func (p *recorder) reset(deny string, mutate func(runtime.Object)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.phases, p.seen, p.deny, p.mutate = nil, nil, deny, mutate
}

// last returns the attributes the validating phase saw, after checking
// the phases ran once each (once when refused in the mutating one).
func (p *recorder) last(t *testing.T) admission.Attributes {
	t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	want := "admit,validate"
	if p.deny != "" {
		want = "admit"
	}
	if got := strings.Join(p.phases, ","); got != want {
		t.Fatalf("admission phases %q, want %q", got, want)
	}
	return p.seen[len(p.seen)-1]
}

var (
	admitUser       = &authentication.User{Name: "alice", Groups: []string{"system:authenticated"}}
	serviceAccounts = corev1.SchemeGroupVersion.WithResource("serviceaccounts")
	deployments     = appsv1.SchemeGroupVersion.WithResource("deployments")
)

// checkAttrs compares the request parts of a with the wanted ones.
func checkAttrs(t *testing.T, a admission.Attributes, op admission.Operation, kind schema.GroupVersionKind, res schema.GroupVersionResource, sub, ns, name string, dry bool) {
	t.Helper()
	if a.Operation != op || a.Kind != kind || a.Resource != res || a.Subresource != sub || a.Namespace != ns || a.Name != name ||
		a.User != admitUser || a.DryRun != dry {
		t.Errorf("attributes %s %v %v %q %s/%s user %v dryRun %v, want %s %v %v %q %s/%s alice %v",
			a.Operation, a.Kind, a.Resource, a.Subresource, a.Namespace, a.Name, a.User, a.DryRun, op, kind, res, sub, ns, name, dry)
	}
}

// denied checks resp is the 403 Status of an admission denial.
func denied(t *testing.T, resp response, message string) {
	t.Helper()
	st := resp.status(t)
	if resp.code != http.StatusForbidden || st.Kind != "Status" || st.Status != metav1.StatusFailure ||
		st.Reason != metav1.StatusReasonForbidden || st.Code != http.StatusForbidden || st.Message != message {
		t.Errorf("got %d %s, want 403 Forbidden %q", resp.code, resp.body, message)
	}
}

func TestSubresourceAdmission(t *testing.T) {
	e := newEnv(t)
	rec := newRecorder()
	chain := admission.NewChain([]admission.NamedPlugin{{Name: "Recorder", Plugin: rec}})
	tokens, _ := newTokenOptions(t, e)
	opts := []endpoints.Option{
		endpoints.WithAdmission(chain),
		endpoints.WithSubresource(podsGVR, "binding", NewBinding(zaptest.NewLogger(t), e.codecs, e.store("pods"))),
		endpoints.WithSubresource(podsGVR, "eviction", NewEviction(zaptest.NewLogger(t), e.codecs, e.store("pods"), e.store("poddisruptionbudgets.policy"))),
		endpoints.WithSubresource(serviceAccounts, "token", NewToken(zaptest.NewLogger(t), e.codecs, tokens)),
		endpoints.WithCreator(podsGVR.GroupVersion().WithResource("bindings"), bindingGVK,
			NewBinding(zaptest.NewLogger(t), e.codecs, e.store("pods"))),
	}
	for _, k := range Scalables() {
		opts = append(opts, endpoints.WithSubresource(k.GVR, "scale", NewScale(zaptest.NewLogger(t), e.codecs, e.store(k.GVR.GroupResource().String()), k)))
	}
	srv := e.serveAs(admitUser, opts...)

	t.Run("binding", func(t *testing.T) {
		e.createPod("ns", "b", nil)
		path := "/api/v1/namespaces/ns/pods/b/binding"

		rec.reset("", nil)
		if resp := post(t, srv, path+"?dryRun=All", binding("b", "n1")); resp.code != http.StatusCreated {
			t.Fatalf("dry run: %d %s", resp.code, resp.body)
		}
		a := rec.last(t)
		checkAttrs(t, a, admission.Create, bindingGVK, podsGVR, "binding", "ns", "b", true)
		if b, ok := a.Object.(*corev1.Binding); !ok || b.Target.Name != "n1" || a.OldObject != nil {
			t.Errorf("object %#v, old %#v", a.Object, a.OldObject)
		}
		if o, ok := a.Options.(*metav1.CreateOptions); !ok || len(o.DryRun) != 1 {
			t.Errorf("options %#v", a.Options)
		}

		rec.reset("not today", nil)
		denied(t, post(t, srv, path, binding("b", "n1")), `pods "b" is forbidden: not today`)
		rec.last(t)

		// What mutating admission changes is what is written.
		rec.reset("", func(obj runtime.Object) { obj.(*corev1.Binding).Target.Name = "n2" })
		if resp := post(t, srv, path, binding("b", "n1")); resp.code != http.StatusCreated {
			t.Fatalf("bind: %d %s", resp.code, resp.body)
		}
		if node := e.get("pods", "ns", "b").(*corev1.Pod).Spec.NodeName; node != "n2" {
			t.Errorf("bound to %q, want the admitted n2", node)
		}
	})

	t.Run("legacy bindings", func(t *testing.T) {
		e.createPod("ns", "lb", nil)
		bindings := podsGVR.GroupVersion().WithResource("bindings")

		rec.reset("", nil)
		if resp := post(t, srv, "/api/v1/namespaces/ns/bindings?dryRun=All", binding("lb", "n1")); resp.code != http.StatusCreated {
			t.Fatalf("dry run: %d %s", resp.code, resp.body)
		}
		checkAttrs(t, rec.last(t), admission.Create, bindingGVK, bindings, "", "ns", "lb", true)
		if node := e.get("pods", "ns", "lb").(*corev1.Pod).Spec.NodeName; node != "" {
			t.Errorf("a dry-run legacy binding bound the pod to %q", node)
		}

		rec.reset("not today", nil)
		denied(t, post(t, srv, "/api/v1/namespaces/ns/bindings", binding("lb", "n1")), `bindings "lb" is forbidden: not today`)
		rec.last(t)

		rec.reset("", func(obj runtime.Object) { obj.(*corev1.Binding).Target.Name = "n2" })
		if resp := post(t, srv, "/api/v1/namespaces/ns/bindings", binding("lb", "n1")); resp.code != http.StatusCreated {
			t.Fatalf("bind: %d %s", resp.code, resp.body)
		}
		if node := e.get("pods", "ns", "lb").(*corev1.Pod).Spec.NodeName; node != "n2" {
			t.Errorf("bound to %q, want the admitted n2", node)
		}
	})

	t.Run("eviction", func(t *testing.T) {
		e.createPod("ns", "ev", nil)
		path := "/api/v1/namespaces/ns/pods/ev/eviction"

		rec.reset("not today", nil)
		denied(t, post(t, srv, path, eviction("ev", nil)), `pods "ev" is forbidden: not today`)
		rec.last(t)
		if going(e, "ns", "ev") {
			t.Error("a refused eviction deleted the pod")
		}

		rec.reset("", nil)
		if resp := post(t, srv, path, eviction("ev", nil)); resp.code != http.StatusCreated {
			t.Fatalf("evict: %d %s", resp.code, resp.body)
		}
		a := rec.last(t)
		checkAttrs(t, a, admission.Create, evictionGVK, podsGVR, "eviction", "ns", "ev", false)
		if ev, ok := a.Object.(*policyv1.Eviction); !ok || ev.Name != "ev" || ev.Namespace != "ns" || a.OldObject != nil {
			t.Errorf("object %#v, old %#v", a.Object, a.OldObject)
		}
		if !going(e, "ns", "ev") {
			t.Error("the evicted pod is still there")
		}
	})

	t.Run("scale", func(t *testing.T) {
		two := int32(2)
		e.create("deployments.apps", "ns", &appsv1.Deployment{
			ObjectMeta: metav1.ObjectMeta{Name: "web"},
			Spec:       appsv1.DeploymentSpec{Replicas: &two, Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}}, Template: template()},
		})
		path := "/apis/apps/v1/namespaces/ns/deployments/web/scale"
		replicas := func() int32 { return *e.get("deployments.apps", "ns", "web").(*appsv1.Deployment).Spec.Replicas }

		rec.reset("", nil)
		if resp := do(t, srv, http.MethodPut, path, "application/json", scaleBody("web", "", 3)); resp.code != http.StatusOK {
			t.Fatalf("PUT: %d %s", resp.code, resp.body)
		}
		a := rec.last(t)
		checkAttrs(t, a, admission.Update, scaleGVK, deployments, "scale", "ns", "web", false)
		scale, ok1 := a.Object.(*autoscalingv1.Scale)
		old, ok2 := a.OldObject.(*autoscalingv1.Scale)
		if !ok1 || !ok2 || scale.Spec.Replicas != 3 || old.Spec.Replicas != 2 || old.Name != "web" || old.Status.Selector != "app=web" {
			t.Errorf("object %#v, old %#v", a.Object, a.OldObject)
		}
		if _, ok := a.Options.(*metav1.UpdateOptions); !ok {
			t.Errorf("options %#v", a.Options)
		}

		// A patch is admitted as an update, its options as UpdateOptions.
		rec.reset("", nil)
		if resp := do(t, srv, http.MethodPatch, path+"?dryRun=All&fieldManager=hpa", "application/merge-patch+json", []byte(`{"spec":{"replicas":9}}`)); resp.code != http.StatusOK {
			t.Fatalf("PATCH: %d %s", resp.code, resp.body)
		}
		a = rec.last(t)
		checkAttrs(t, a, admission.Update, scaleGVK, deployments, "scale", "ns", "web", true)
		if o, ok := a.Options.(*metav1.UpdateOptions); !ok || len(o.DryRun) != 1 || o.FieldManager != "hpa" {
			t.Errorf("options %#v", a.Options)
		}
		if s, ok := a.Object.(*autoscalingv1.Scale); !ok || s.Spec.Replicas != 9 || replicas() != 3 {
			t.Errorf("dry-run patch: object %#v, replicas %d", a.Object, replicas())
		}

		rec.reset("not today", nil)
		denied(t, do(t, srv, http.MethodPut, path, "application/json", scaleBody("web", "", 5)), `deployments.apps "web" is forbidden: not today`)
		rec.last(t)
		if replicas() != 3 {
			t.Errorf("a refused scale wrote %d replicas", replicas())
		}

		rec.reset("", func(obj runtime.Object) { obj.(*autoscalingv1.Scale).Spec.Replicas = 4 })
		if resp := do(t, srv, http.MethodPatch, path, "application/merge-patch+json", []byte(`{"spec":{"replicas":6}}`)); resp.code != http.StatusOK {
			t.Fatalf("PATCH: %d %s", resp.code, resp.body)
		}
		if replicas() != 4 {
			t.Errorf("replicas %d, want the admitted 4", replicas())
		}
	})

	t.Run("token", func(t *testing.T) {
		e.create("serviceaccounts", "ns", &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: "default"}})
		path := "/api/v1/namespaces/ns/serviceaccounts/default/token"

		rec.reset("", nil)
		resp := post(t, srv, path, tokenRequest(authenticationv1.TokenRequestSpec{Audiences: []string{"a"}}))
		if resp.code != http.StatusCreated {
			t.Fatalf("token: %d %s", resp.code, resp.body)
		}
		a := rec.last(t)
		checkAttrs(t, a, admission.Create, tokenRequestGVK, serviceAccounts, "token", "ns", "default", false)
		if tr, ok := a.Object.(*authenticationv1.TokenRequest); !ok || len(tr.Spec.Audiences) != 1 || tr.Spec.Audiences[0] != "a" ||
			tr.Spec.ExpirationSeconds == nil || *tr.Spec.ExpirationSeconds != DefaultTokenExpirationSeconds {
			t.Errorf("object %#v", a.Object)
		}

		rec.reset("not today", nil)
		resp = post(t, srv, path, tokenRequest(authenticationv1.TokenRequestSpec{}))
		denied(t, resp, `serviceaccounts "default" is forbidden: not today`)
		if strings.Contains(string(resp.body), `"token"`) {
			t.Errorf("a refused request got a token: %s", resp.body)
		}
	})
}

// going says whether a pod is deleted or being deleted.
func going(e *env, ns, name string) bool {
	obj, err := e.store("pods").Get(context.Background(), ns, name)
	return err != nil || obj.GetDeletionTimestamp() != nil
}

// TestNodeRestrictionThroughSubresources: NodeRestriction's rules on
// evictions and tokens hold for requests through the handlers.
func TestNodeRestrictionThroughSubresources(t *testing.T) {
	e := newEnv(t)
	plugin := noderestriction.New(zaptest.NewLogger(t), getters{e}, getters{e})
	chain := admission.NewChain([]admission.NamedPlugin{{Name: admission.NodeRestriction, Plugin: plugin}})
	tokens, _ := newTokenOptions(t, e)
	opts := []endpoints.Option{
		endpoints.WithAdmission(chain),
		endpoints.WithSubresource(podsGVR, "binding", NewBinding(zaptest.NewLogger(t), e.codecs, e.store("pods"))),
		endpoints.WithSubresource(podsGVR, "eviction", NewEviction(zaptest.NewLogger(t), e.codecs, e.store("pods"), e.store("poddisruptionbudgets.policy"))),
		endpoints.WithSubresource(serviceAccounts, "token", NewToken(zaptest.NewLogger(t), e.codecs, tokens)),
	}
	node1 := &authentication.User{Name: "system:node:n1", Groups: []string{authentication.NodesGroup, "system:authenticated"}}
	asNode := e.serveAs(node1, opts...)
	asAdmin := e.serveAs(&authentication.User{Name: "admin", Groups: []string{"system:masters"}}, opts...)

	e.create("serviceaccounts", "ns", &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: "default"}})
	onNode := func(node string) func(*corev1.Pod) {
		return func(p *corev1.Pod) { p.Spec.NodeName, p.Spec.ServiceAccountName = node, "default" }
	}
	mine := e.createPod("ns", "mine", onNode("n1"))
	theirs := e.createPod("ns", "theirs", onNode("n2"))
	e.createPod("ns", "evict-mine", onNode("n1"))
	e.createPod("ns", "evict-theirs", onNode("n2"))
	e.createPod("ns", "unbound", nil)
	boundTo := func(pod *corev1.Pod, uid bool) authenticationv1.TokenRequest {
		ref := &authenticationv1.BoundObjectReference{Kind: "Pod", APIVersion: "v1", Name: pod.Name}
		if uid {
			ref.UID = pod.UID
		}
		return tokenRequest(authenticationv1.TokenRequestSpec{BoundObjectRef: ref})
	}
	const tokenPath = "/api/v1/namespaces/ns/serviceaccounts/default/token"

	t.Run("a node evicts its own pod", func(t *testing.T) {
		if resp := post(t, asNode, "/api/v1/namespaces/ns/pods/evict-mine/eviction", eviction("evict-mine", nil)); resp.code != http.StatusCreated || !going(e, "ns", "evict-mine") {
			t.Errorf("got %d %s, pod going: %v", resp.code, resp.body, going(e, "ns", "evict-mine"))
		}
	})
	t.Run("a node may not evict another node's pod", func(t *testing.T) {
		denied(t, post(t, asNode, "/api/v1/namespaces/ns/pods/evict-theirs/eviction", eviction("evict-theirs", nil)),
			`pods "evict-theirs" is forbidden: node n1 can only evict pods with spec.nodeName set to itself`)
		if going(e, "ns", "evict-theirs") {
			t.Error("the pod was evicted")
		}
	})
	t.Run("a node may not evict by a dry run either", func(t *testing.T) {
		denied(t, post(t, asNode, "/api/v1/namespaces/ns/pods/evict-theirs/eviction?dryRun=All", eviction("evict-theirs", nil)),
			`pods "evict-theirs" is forbidden: node n1 can only evict pods with spec.nodeName set to itself`)
	})
	t.Run("evicting a missing pod", func(t *testing.T) {
		resp := post(t, asNode, "/api/v1/namespaces/ns/pods/gone/eviction", eviction("gone", nil))
		if st := resp.status(t); resp.code != http.StatusNotFound || st.Message != `pod "gone" not found` {
			t.Errorf("got %d %s", resp.code, resp.body)
		}
	})
	t.Run("others evict any pod", func(t *testing.T) {
		if resp := post(t, asAdmin, "/api/v1/namespaces/ns/pods/evict-theirs/eviction", eviction("evict-theirs", nil)); resp.code != http.StatusCreated {
			t.Errorf("got %d %s", resp.code, resp.body)
		}
	})

	t.Run("a node gets a token for its own pod", func(t *testing.T) {
		if resp := post(t, asNode, tokenPath, boundTo(mine, true)); resp.code != http.StatusCreated {
			t.Errorf("got %d %s", resp.code, resp.body)
		}
	})
	for _, tt := range []struct {
		name string
		body authenticationv1.TokenRequest
		want string
	}{
		{"for another node's pod", boundTo(theirs, true), "node requested token bound to a pod scheduled on a different node"},
		{"not bound to a pod", tokenRequest(authenticationv1.TokenRequestSpec{}), "node requested token not bound to a pod"},
		{"bound without a uid", boundTo(mine, false), "node requested token with a pod binding without a uid"},
		{"bound to a stale uid", tokenRequest(authenticationv1.TokenRequestSpec{BoundObjectRef: &authenticationv1.BoundObjectReference{Kind: "Pod", APIVersion: "v1", Name: "mine", UID: "old"}}),
			"the UID in the bound object reference (old) does not match the UID in record. The object might have been deleted and then recreated"},
	} {
		t.Run("no token "+tt.name, func(t *testing.T) {
			resp := post(t, asNode, tokenPath, tt.body)
			denied(t, resp, `serviceaccounts "default" is forbidden: `+tt.want)
		})
	}
	t.Run("others get tokens for any pod", func(t *testing.T) {
		if resp := post(t, asAdmin, tokenPath, boundTo(theirs, true)); resp.code != http.StatusCreated {
			t.Errorf("got %d %s", resp.code, resp.body)
		}
	})

	t.Run("a node may not bind pods", func(t *testing.T) {
		denied(t, post(t, asNode, "/api/v1/namespaces/ns/pods/unbound/binding", binding("unbound", "n1")),
			`pods "unbound" is forbidden: unexpected pod subresource "binding", only 'status' and 'eviction' are allowed`)
		if node := e.get("pods", "ns", "unbound").(*corev1.Pod).Spec.NodeName; node != "" {
			t.Errorf("bound to %q", node)
		}
	})
}
