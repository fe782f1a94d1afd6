package openapi

import (
	"reflect"
	"sync"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	authenticationv1 "k8s.io/api/authentication/v1"
	autoscalingv1 "k8s.io/api/autoscaling/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"

	"github.com/skiff-dev/skiff/apiserver/discovery"
)

var allVerbs = []string{"create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"}
var statusVerbs = []string{"get", "patch", "update"}

func typeOf(v any) reflect.Type { return reflect.TypeOf(v) }

// testResources is a served set with every shape of resource: namespaced
// and cluster-scoped, create-only, subresources of every kind, a group in
// two versions.
func testResources() []discovery.Resource {
	core := func(resource, kind string, namespaced bool, obj, list any, subs ...discovery.Subresource) discovery.Resource {
		return discovery.Resource{Version: "v1", Resource: resource, Kind: kind, Namespaced: namespaced,
			Verbs: allVerbs, GoType: typeOf(obj), ListGoType: typeOf(list), Subresources: subs}
	}
	return []discovery.Resource{
		core("pods", "Pod", true, corev1.Pod{}, corev1.PodList{},
			discovery.Subresource{Name: "status", Kind: "Pod", Verbs: statusVerbs},
			discovery.Subresource{Name: "binding", Kind: "Binding", Version: "v1", Verbs: []string{"create"}, GoType: typeOf(corev1.Binding{})},
			discovery.Subresource{Name: "eviction", Kind: "Eviction", Group: "policy", Version: "v1", Verbs: []string{"create"}, GoType: typeOf(policyv1.Eviction{})},
			discovery.Subresource{Name: "log", Kind: "Pod", Verbs: []string{"get"}},
			discovery.Subresource{Name: "exec", Kind: "PodExecOptions", Verbs: []string{"create", "get"}, GoType: typeOf(corev1.PodExecOptions{})},
		),
		core("namespaces", "Namespace", false, corev1.Namespace{}, corev1.NamespaceList{},
			discovery.Subresource{Name: "status", Kind: "Namespace", Verbs: statusVerbs}),
		core("services", "Service", true, corev1.Service{}, corev1.ServiceList{}),
		core("configmaps", "ConfigMap", true, corev1.ConfigMap{}, corev1.ConfigMapList{}),
		core("serviceaccounts", "ServiceAccount", true, corev1.ServiceAccount{}, corev1.ServiceAccountList{},
			discovery.Subresource{Name: "token", Kind: "TokenRequest", Group: "authentication.k8s.io", Version: "v1",
				Verbs: []string{"create"}, GoType: typeOf(authenticationv1.TokenRequest{})}),
		{Group: "apps", Version: "v1", Resource: "deployments", Kind: "Deployment", Namespaced: true, Verbs: allVerbs,
			GoType: typeOf(&appsv1.Deployment{}), ListGoType: typeOf(&appsv1.DeploymentList{}),
			Subresources: []discovery.Subresource{
				{Name: "status", Kind: "Deployment", Verbs: statusVerbs},
				{Name: "scale", Kind: "Scale", Group: "autoscaling", Version: "v1", Verbs: statusVerbs, GoType: typeOf(autoscalingv1.Scale{})},
			}},
		{Group: "autoscaling", Version: "v1", Resource: "horizontalpodautoscalers", Kind: "HorizontalPodAutoscaler", Namespaced: true,
			Verbs: allVerbs, GoType: typeOf(autoscalingv1.HorizontalPodAutoscaler{}), ListGoType: typeOf(autoscalingv1.HorizontalPodAutoscalerList{})},
		{Group: "autoscaling", Version: "v2", Resource: "horizontalpodautoscalers", Kind: "HorizontalPodAutoscaler", Namespaced: true,
			Verbs: allVerbs, GoType: typeOf(autoscalingv2.HorizontalPodAutoscaler{}), ListGoType: typeOf(autoscalingv2.HorizontalPodAutoscalerList{})},
		{Group: "authentication.k8s.io", Version: "v1", Resource: "tokenreviews", Kind: "TokenReview",
			Verbs: []string{"create"}, GoType: typeOf(authenticationv1.TokenReview{})},
	}
}

var (
	sharedOnce    sync.Once
	sharedHandler *Handler
	sharedErr     error
)

// testHandler returns the documents of testResources, built once for all
// tests: a Handler never changes after New.
func testHandler(t *testing.T) *Handler {
	t.Helper()
	sharedOnce.Do(func() { sharedHandler, sharedErr = New(nil, testResources(), "v1.31.3") })
	if sharedErr != nil {
		t.Fatal(sharedErr)
	}
	return sharedHandler
}
