package rbac

import (
	"testing"

	"github.com/skiff-dev/skiff/apiserver/authorization"
	rbacv1 "k8s.io/api/rbac/v1"
)

func res(verb, group, resource, sub, name string) authorization.Attributes {
	return authorization.Attributes{Verb: verb, ResourceRequest: true, APIGroup: group, Resource: resource, Subresource: sub, Name: name, Namespace: "ns"}
}

func path(verb, p string) authorization.Attributes {
	return authorization.Attributes{Verb: verb, Path: p}
}

func TestRuleAllows(t *testing.T) {
	pods := rule([]string{"get", "list"}, []string{""}, []string{"pods"})
	tests := []struct {
		name  string
		rule  rbacv1.PolicyRule
		attrs authorization.Attributes
		want  bool
	}{
		{"verb and resource", pods, res("get", "", "pods", "", "x"), true},
		{"other verb", pods, res("delete", "", "pods", "", "x"), false},
		{"other group", pods, res("get", "apps", "pods", "", ""), false},
		{"other resource", pods, res("get", "", "secrets", "", ""), false},
		{"subresource needs its own entry", pods, res("get", "", "pods", "log", "x"), false},
		{"star verb", rule([]string{"*"}, []string{""}, []string{"pods"}), res("deletecollection", "", "pods", "", ""), true},
		{"star group", rule([]string{"get"}, []string{"*"}, []string{"deployments"}), res("get", "apps", "deployments", "", ""), true},
		{"star resource covers subresources", rule([]string{"get"}, []string{""}, []string{"*"}), res("get", "", "pods", "log", "x"), true},
		{"resource/subresource", rule([]string{"get"}, []string{""}, []string{"pods/log"}), res("get", "", "pods", "log", "x"), true},
		{"resource/subresource not the resource", rule([]string{"get"}, []string{""}, []string{"pods/log"}), res("get", "", "pods", "", "x"), false},
		{"*/subresource", rule([]string{"get"}, []string{"*"}, []string{"*/scale"}), res("get", "apps", "deployments", "scale", "web"), true},
		{"*/subresource other subresource", rule([]string{"get"}, []string{"*"}, []string{"*/scale"}), res("get", "apps", "deployments", "status", "web"), false},
		{"*/subresource not the resource", rule([]string{"get"}, []string{"*"}, []string{"*/scale"}), res("get", "apps", "deployments", "", "web"), false},
		{"resource names", rbacv1.PolicyRule{Verbs: []string{"get", "update"}, APIGroups: []string{"coordination.k8s.io"}, Resources: []string{"leases"}, ResourceNames: []string{"kube-scheduler"}},
			res("update", "coordination.k8s.io", "leases", "", "kube-scheduler"), true},
		{"resource names other name", rbacv1.PolicyRule{Verbs: []string{"get"}, APIGroups: []string{"coordination.k8s.io"}, Resources: []string{"leases"}, ResourceNames: []string{"kube-scheduler"}},
			res("get", "coordination.k8s.io", "leases", "", "other"), false},
		{"resource names and list", rbacv1.PolicyRule{Verbs: []string{"list"}, APIGroups: []string{""}, Resources: []string{"configmaps"}, ResourceNames: []string{"a"}},
			res("list", "", "configmaps", "", ""), false},
		{"resource rule is not a path", pods, path("get", "/api"), false},
		{"url exact", rbacv1.PolicyRule{Verbs: []string{"get"}, NonResourceURLs: []string{"/healthz"}}, path("get", "/healthz"), true},
		{"url exact only", rbacv1.PolicyRule{Verbs: []string{"get"}, NonResourceURLs: []string{"/healthz"}}, path("get", "/healthz/etcd"), false},
		{"url prefix", rbacv1.PolicyRule{Verbs: []string{"get"}, NonResourceURLs: []string{"/healthz/*"}}, path("get", "/healthz/etcd"), true},
		{"url prefix not the bare path", rbacv1.PolicyRule{Verbs: []string{"get"}, NonResourceURLs: []string{"/healthz/*"}}, path("get", "/healthz"), false},
		{"url star", rbacv1.PolicyRule{Verbs: []string{"*"}, NonResourceURLs: []string{"*"}}, path("post", "/anything"), true},
		{"url verb", rbacv1.PolicyRule{Verbs: []string{"get"}, NonResourceURLs: []string{"/metrics"}}, path("post", "/metrics"), false},
		{"url rule is not a resource", rbacv1.PolicyRule{Verbs: []string{"*"}, NonResourceURLs: []string{"*"}}, res("get", "", "pods", "", ""), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := RuleAllows(tt.attrs, &tt.rule); got != tt.want {
				t.Errorf("got %v", got)
			}
		})
	}
}
