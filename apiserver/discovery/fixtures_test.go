package discovery

import (
	"reflect"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv1 "k8s.io/api/autoscaling/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	eventsv1 "k8s.io/api/events/v1"
	policyv1 "k8s.io/api/policy/v1"
)

var allVerbs = []string{"watch", "update", "patch", "list", "get", "deletecollection", "delete", "create"}

// testResources is a small served set covering the core group, a
// cluster-scoped kind, subresources in other groups, a group served in two
// versions and a resource name two groups share.
func testResources() []Resource {
	return []Resource{
		{Group: "apps", Version: "v1", Resource: "deployments", Kind: "Deployment", SingularName: "deployment",
			Namespaced: true, Verbs: allVerbs, ShortNames: []string{"deploy"}, Categories: []string{"all"},
			Subresources: []Subresource{
				{Name: "status", Kind: "Deployment", Verbs: []string{"get", "patch", "update"}},
				{Name: "scale", Kind: "Scale", Group: "autoscaling", Version: "v1", Verbs: []string{"update", "get", "patch"},
					GoType: reflect.TypeOf(autoscalingv1.Scale{})},
			},
			GoType: reflect.TypeOf(appsv1.Deployment{}), ListGoType: reflect.TypeOf(appsv1.DeploymentList{})},
		{Group: "", Version: "v1", Resource: "pods", Kind: "Pod", SingularName: "pod", Namespaced: true,
			Verbs: allVerbs, ShortNames: []string{"po"}, Categories: []string{"all"},
			Subresources: []Subresource{
				{Name: "status", Kind: "Pod", Verbs: []string{"get", "patch", "update"}},
				{Name: "eviction", Kind: "Eviction", Group: "policy", Version: "v1", Verbs: []string{"create"},
					GoType: reflect.TypeOf(policyv1.Eviction{})},
				{Name: "binding", Kind: "Binding", Version: "v1", Verbs: []string{"create"}, GoType: reflect.TypeOf(corev1.Binding{})},
			},
			GoType: reflect.TypeOf(corev1.Pod{}), ListGoType: reflect.TypeOf(corev1.PodList{})},
		{Group: "", Version: "v1", Resource: "namespaces", Kind: "Namespace", SingularName: "namespace",
			Verbs: []string{"create", "delete", "get", "list", "patch", "update", "watch"}, ShortNames: []string{"ns"},
			GoType: reflect.TypeOf(corev1.Namespace{}), ListGoType: reflect.TypeOf(corev1.NamespaceList{})},
		{Group: "", Version: "v1", Resource: "events", Kind: "Event", SingularName: "event", Namespaced: true,
			Verbs: allVerbs, ShortNames: []string{"ev"},
			GoType: reflect.TypeOf(corev1.Event{}), ListGoType: reflect.TypeOf(corev1.EventList{})},
		{Group: "events.k8s.io", Version: "v1", Resource: "events", Kind: "Event", SingularName: "event", Namespaced: true,
			Verbs: allVerbs, ShortNames: []string{"ev"},
			GoType: reflect.TypeOf(eventsv1.Event{}), ListGoType: reflect.TypeOf(eventsv1.EventList{})},
		{Group: "autoscaling", Version: "v1", Resource: "horizontalpodautoscalers", Kind: "HorizontalPodAutoscaler",
			SingularName: "horizontalpodautoscaler", Namespaced: true, Verbs: allVerbs, ShortNames: []string{"hpa"},
			Categories: []string{"all"},
			GoType:     reflect.TypeOf(autoscalingv1.HorizontalPodAutoscaler{}), ListGoType: reflect.TypeOf(autoscalingv1.HorizontalPodAutoscalerList{})},
		{Group: "autoscaling", Version: "v2", Resource: "horizontalpodautoscalers", Kind: "HorizontalPodAutoscaler",
			SingularName: "horizontalpodautoscaler", Namespaced: true, Verbs: allVerbs, ShortNames: []string{"hpa"},
			Categories: []string{"all"},
			GoType:     reflect.TypeOf(autoscalingv2.HorizontalPodAutoscaler{}), ListGoType: reflect.TypeOf(autoscalingv2.HorizontalPodAutoscalerList{})},
	}
}
