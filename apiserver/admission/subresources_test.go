package admission_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	authenticationv1 "k8s.io/api/authentication/v1"
	autoscalingv1 "k8s.io/api/autoscaling/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	schedulingv1 "k8s.io/api/scheduling/v1"
	storagev1 "k8s.io/api/storage/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/skiff-dev/skiff/apiserver/admission"
	"github.com/skiff-dev/skiff/apiserver/admission/defaultstorageclass"
	"github.com/skiff-dev/skiff/apiserver/admission/defaulttolerationseconds"
	"github.com/skiff-dev/skiff/apiserver/admission/limitranger"
	"github.com/skiff-dev/skiff/apiserver/admission/namespacelifecycle"
	"github.com/skiff-dev/skiff/apiserver/admission/noderestriction"
	"github.com/skiff-dev/skiff/apiserver/admission/priority"
	"github.com/skiff-dev/skiff/apiserver/admission/resourcequota"
	"github.com/skiff-dev/skiff/apiserver/admission/serviceaccount"
	"github.com/skiff-dev/skiff/apiserver/admission/taintnodesbycondition"
	"github.com/skiff-dev/skiff/apiserver/authentication"
)

// lookups is every getter, recording what is asked; the namespace is
// in phase (Active unless set).
type lookups struct {
	empty
	phase corev1.NamespacePhase
	mu    sync.Mutex
	asked []string
}

func (l *lookups) ask(what string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.asked = append(l.asked, what)
}

func (l *lookups) GetNamespace(_ context.Context, name string) (*corev1.Namespace, error) {
	l.ask("namespace")
	phase := l.phase
	if phase == "" {
		phase = corev1.NamespaceActive
	}
	return &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}, Status: corev1.NamespaceStatus{Phase: phase}}, nil
}

func (l *lookups) GetServiceAccount(ctx context.Context, ns, name string) (*corev1.ServiceAccount, error) {
	l.ask("serviceaccount")
	return l.empty.GetServiceAccount(ctx, ns, name)
}

func (l *lookups) ListLimitRanges(ctx context.Context, ns string) ([]*corev1.LimitRange, error) {
	l.ask("limitranges")
	return l.empty.ListLimitRanges(ctx, ns)
}

func (l *lookups) ListResourceQuotas(ctx context.Context, ns string) ([]*corev1.ResourceQuota, error) {
	l.ask("resourcequotas")
	return l.empty.ListResourceQuotas(ctx, ns)
}

func (l *lookups) ListStorageClasses(ctx context.Context) ([]*storagev1.StorageClass, error) {
	l.ask("storageclasses")
	return nil, nil
}

func (l *lookups) GetPod(ctx context.Context, ns, name string) (*corev1.Pod, error) {
	l.ask("pod")
	return l.empty.GetPod(ctx, ns, name)
}

func (l *lookups) GetPriorityClass(ctx context.Context, name string) (*schedulingv1.PriorityClass, error) {
	l.ask("priorityclass")
	return l.empty.GetPriorityClass(ctx, name)
}

func (l *lookups) ListPriorityClasses(ctx context.Context) ([]*schedulingv1.PriorityClass, error) {
	l.ask("priorityclasses")
	return nil, nil
}

// subresourceWrites are the attributes of the writes of the subresources
// with handlers of their own, as endpoints.IO.Admit gives them.
func subresourceWrites() map[string]admission.Attributes {
	user := &authentication.User{Name: "alice", Groups: []string{authentication.AllAuthenticated}}
	pods := schema.GroupVersionResource{Version: "v1", Resource: "pods"}
	create := &metav1.CreateOptions{}
	return map[string]admission.Attributes{
		"binding": {Operation: admission.Create, Kind: corev1.SchemeGroupVersion.WithKind("Binding"), Resource: pods, Subresource: "binding",
			Namespace: "ns", Name: "p", User: user, Options: create,
			Object: &corev1.Binding{ObjectMeta: metav1.ObjectMeta{Name: "p", Namespace: "ns"}, Target: corev1.ObjectReference{Kind: "Node", Name: "n1"}}},
		"eviction": {Operation: admission.Create, Kind: policyv1.SchemeGroupVersion.WithKind("Eviction"), Resource: pods, Subresource: "eviction",
			Namespace: "ns", Name: "p", User: user, Options: create,
			Object: &policyv1.Eviction{ObjectMeta: metav1.ObjectMeta{Name: "p", Namespace: "ns"}}},
		"scale": {Operation: admission.Update, Kind: autoscalingv1.SchemeGroupVersion.WithKind("Scale"),
			Resource: schema.GroupVersionResource{Group: "apps", Version: "v1", Resource: "deployments"}, Subresource: "scale",
			Namespace: "ns", Name: "web", User: user, Options: &metav1.UpdateOptions{},
			Object:    &autoscalingv1.Scale{ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "ns"}, Spec: autoscalingv1.ScaleSpec{Replicas: 3}},
			OldObject: &autoscalingv1.Scale{ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "ns"}, Spec: autoscalingv1.ScaleSpec{Replicas: 2}}},
		"token": {Operation: admission.Create, Kind: authenticationv1.SchemeGroupVersion.WithKind("TokenRequest"),
			Resource: schema.GroupVersionResource{Version: "v1", Resource: "serviceaccounts"}, Subresource: "token",
			Namespace: "ns", Name: "default", User: user, Options: create,
			Object: &authenticationv1.TokenRequest{Spec: authenticationv1.TokenRequestSpec{Audiences: []string{"api"}}}},
	}
}

// TestSubresourceWritesPassThePlugins: the built plugins let the
// subresources' writes of a user that is not a node through unchanged,
// as upstream's: none but NamespaceLifecycle (the namespace must be
// there) looks at them; quota, limit ranges, service accounts, priority
// and storage classes are not even read.
func TestSubresourceWritesPassThePlugins(t *testing.T) {
	for name, base := range subresourceWrites() {
		l := &lookups{}
		plugins := []admission.NamedPlugin{
			{Name: admission.NamespaceLifecycle, Plugin: namespacelifecycle.New(nil, l, l)},
			{Name: admission.LimitRanger, Plugin: limitranger.New(nil, l, l)},
			{Name: admission.ServiceAccount, Plugin: serviceaccount.New(nil, l, nil)},
			{Name: admission.NodeRestriction, Plugin: noderestriction.New(nil, l, l)},
			{Name: admission.TaintNodesByCondition, Plugin: taintnodesbycondition.New()},
			{Name: admission.Priority, Plugin: priority.New(nil, l)},
			{Name: admission.DefaultTolerationSeconds, Plugin: defaulttolerationseconds.New(300, 300)},
			{Name: admission.DefaultStorageClass, Plugin: defaultstorageclass.New(nil, l)},
			{Name: admission.ResourceQuota, Plugin: resourcequota.New(nil, l, l, l)},
		}
		for _, p := range plugins {
			t.Run(name+"/"+p.Name, func(t *testing.T) {
				l.asked = nil
				a := base
				a.Object, a.OldObject = copyOf(base.Object), copyOf(base.OldObject)
				chain := admission.NewChain([]admission.NamedPlugin{p})
				if err := chain.Admit(context.Background(), &a); err != nil {
					t.Fatalf("Admit: %v", err)
				}
				if err := chain.Validate(context.Background(), &a); err != nil {
					t.Fatalf("Validate: %v", err)
				}
				if !apiequality.Semantic.DeepEqual(a.Object, base.Object) || !apiequality.Semantic.DeepEqual(a.OldObject, base.OldObject) {
					t.Errorf("object changed: %#v", a.Object)
				}
				want := ""
				if p.Name == admission.NamespaceLifecycle {
					want = "namespace"
				}
				if got := strings.Join(l.asked, ","); got != want {
					t.Errorf("looked up %q, want %q", got, want)
				}
			})
		}
	}
}

// TestSubresourceWritesInATerminatingNamespace: as upstream,
// NamespaceLifecycle refuses the creates (bindings, evictions, tokens) in
// a terminating namespace with the NamespaceTerminating cause kubectl
// drain looks for, and lets a Scale's update through.
func TestSubresourceWritesInATerminatingNamespace(t *testing.T) {
	l := &lookups{phase: corev1.NamespaceTerminating}
	chain := admission.NewChain([]admission.NamedPlugin{{Name: admission.NamespaceLifecycle, Plugin: namespacelifecycle.New(nil, l, l)}})
	for name, a := range subresourceWrites() {
		t.Run(name, func(t *testing.T) {
			err := chain.Admit(context.Background(), &a)
			if a.Operation != admission.Create {
				if err != nil {
					t.Errorf("%s refused: %v", a.Operation, err)
				}
				return
			}
			want := a.Resource.Resource + ` "` + a.Name + `" is forbidden: unable to create new content in namespace ns because it is being terminated`
			if !apierrors.IsForbidden(err) || err.Error() != want || !apierrors.HasStatusCause(err, corev1.NamespaceTerminatingCause) {
				t.Errorf("got %v, want %q with the NamespaceTerminating cause", err, want)
			}
		})
	}
}

func copyOf(obj runtime.Object) runtime.Object {
	if obj == nil {
		return nil
	}
	return obj.DeepCopyObject()
}
