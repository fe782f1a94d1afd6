package admission_test

import (
	"context"
	"fmt"
	"runtime/debug"
	"testing"

	authenticationv1 "k8s.io/api/authentication/v1"
	corev1 "k8s.io/api/core/v1"
	schedulingv1 "k8s.io/api/scheduling/v1"
	storagev1 "k8s.io/api/storage/v1"
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
	"github.com/skiff-dev/skiff/apiserver/storage"
)

// empty is every getter, finding (almost) nothing.
type empty struct{}

func (empty) GetNamespace(context.Context, string) (*corev1.Namespace, error) {
	return nil, storage.ErrNotFound
}

// GetServiceAccount finds every account: a missing default account is
// awaited for over a second.
func (empty) GetServiceAccount(_ context.Context, namespace, name string) (*corev1.ServiceAccount, error) {
	return &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: name,
		Annotations: map[string]string{serviceaccount.EnforceMountableSecretsAnnotation: "true"}}}, nil
}
func (empty) ListLimitRanges(context.Context, string) ([]*corev1.LimitRange, error) {
	return []*corev1.LimitRange{{Spec: corev1.LimitRangeSpec{Limits: []corev1.LimitRangeItem{{Type: corev1.LimitTypePod}}}}}, nil
}
func (empty) ListResourceQuotas(context.Context, string) ([]*corev1.ResourceQuota, error) {
	return []*corev1.ResourceQuota{{Status: corev1.ResourceQuotaStatus{Hard: corev1.ResourceList{"pods": {}}, Used: corev1.ResourceList{"pods": {}}}}}, nil
}
func (empty) UpdateResourceQuotaStatus(_ context.Context, q *corev1.ResourceQuota) (*corev1.ResourceQuota, error) {
	return q, nil
}
func (empty) ListStorageClasses(context.Context) ([]*storagev1.StorageClass, error) { return nil, nil }
func (empty) GetPod(context.Context, string, string) (*corev1.Pod, error) {
	return nil, storage.ErrNotFound
}
func (empty) GetNode(context.Context, string) (*corev1.Node, error) { return nil, storage.ErrNotFound }
func (empty) GetPriorityClass(context.Context, string) (*schedulingv1.PriorityClass, error) {
	return nil, storage.ErrNotFound
}
func (empty) ListPriorityClasses(context.Context) ([]*schedulingv1.PriorityClass, error) {
	return nil, nil
}

// No request, however odd, makes a plugin panic.
func TestOddRequestsDoNotPanic(t *testing.T) {
	e := empty{}
	plugins := []admission.NamedPlugin{
		{Name: "NamespaceLifecycle", Plugin: namespacelifecycle.New(nil, e, e)},
		{Name: "LimitRanger", Plugin: limitranger.New(nil, e, e)},
		{Name: "ServiceAccount", Plugin: serviceaccount.New(nil, e, nil)},
		{Name: "NodeRestriction", Plugin: noderestriction.New(nil, e, e)},
		{Name: "TaintNodesByCondition", Plugin: taintnodesbycondition.New()},
		{Name: "Priority", Plugin: priority.New(nil, e)},
		{Name: "DefaultTolerationSeconds", Plugin: defaulttolerationseconds.New(300, 300)},
		{Name: "DefaultStorageClass", Plugin: defaultstorageclass.New(nil, e)},
		{Name: "ResourceQuota", Plugin: resourcequota.New(nil, e, e, e)},
	}
	resources := []schema.GroupVersionResource{
		{Version: "v1", Resource: "pods"}, {Version: "v1", Resource: "nodes"}, {Version: "v1", Resource: "services"},
		{Version: "v1", Resource: "persistentvolumeclaims"}, {Version: "v1", Resource: "serviceaccounts"},
		{Version: "v1", Resource: "namespaces"}, {Group: "coordination.k8s.io", Version: "v1", Resource: "leases"},
		{Group: "storage.k8s.io", Version: "v1", Resource: "csinodes"}, {Group: "scheduling.k8s.io", Version: "v1", Resource: "priorityclasses"},
	}
	kinds := []schema.GroupVersionKind{{Version: "v1", Kind: "Pod"}, {Version: "v1", Kind: "PersistentVolumeClaim"}}
	objects := []runtime.Object{
		nil, (*corev1.Pod)(nil), (*corev1.Node)(nil), (*corev1.PersistentVolumeClaim)(nil), (*corev1.Service)(nil),
		&corev1.Pod{}, &corev1.Node{}, &corev1.ConfigMap{}, &metav1.Status{}, &authenticationv1.TokenRequest{},
		&schedulingv1.PriorityClass{GlobalDefault: true}, (*schedulingv1.PriorityClass)(nil), (*authenticationv1.TokenRequest)(nil),
	}
	olds := []runtime.Object{nil, (*corev1.Pod)(nil), &corev1.Pod{}, &corev1.PersistentVolumeClaim{}, &metav1.Status{}}
	users := []*authentication.User{nil, {Name: "system:node:n", Groups: []string{"system:nodes"}}}
	ops := []admission.Operation{admission.Create, admission.Update, admission.Delete}
	for _, op := range ops {
		for _, res := range resources {
			for _, kind := range kinds {
				for _, sub := range []string{"", "status", "eviction", "token", "ephemeralcontainers"} {
					for oi, obj := range objects {
						for _, old := range olds {
							for _, u := range users {
								a := admission.Attributes{Operation: op, Resource: res, Kind: kind, Subresource: sub,
									Namespace: "ns", Name: "n", Object: obj, OldObject: old, User: u}
								for _, p := range plugins {
									// Each plugin alone: an earlier refusal must not hide a later panic.
									chain := admission.NewChain([]admission.NamedPlugin{p})
									b := a
									run(t, chain, &b, fmt.Sprintf("%s: %s %s/%s %s object#%d", p.Name, op, res.Resource, sub, kind.Kind, oi))
								}
							}
						}
					}
				}
			}
		}
	}
}

func run(t *testing.T, chain *admission.Chain, a *admission.Attributes, what string) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("%s: panic: %v\n%s", what, r, debug.Stack())
		}
	}()
	_ = chain.Admit(context.Background(), a)
	_ = chain.Validate(context.Background(), a)
}
