package rbac

import (
	"reflect"
	"testing"

	rbacv1 "k8s.io/api/rbac/v1"
)

func TestCovers(t *testing.T) {
	named := func(verbs, groups, resources, names []string) rbacv1.PolicyRule {
		return rbacv1.PolicyRule{Verbs: verbs, APIGroups: groups, Resources: resources, ResourceNames: names}
	}
	urls := func(verbs, u []string) rbacv1.PolicyRule { return rbacv1.PolicyRule{Verbs: verbs, NonResourceURLs: u} }
	tests := []struct {
		name        string
		owner       []rbacv1.PolicyRule
		servant     []rbacv1.PolicyRule
		wantMissing []rbacv1.PolicyRule
	}{
		{"exact", []rbacv1.PolicyRule{rule([]string{"get", "list"}, []string{""}, []string{"pods"})},
			[]rbacv1.PolicyRule{rule([]string{"get"}, []string{""}, []string{"pods"})}, nil},
		{"split across owner rules", []rbacv1.PolicyRule{rule([]string{"get"}, []string{""}, []string{"pods"}), rule([]string{"list"}, []string{""}, []string{"pods"})},
			[]rbacv1.PolicyRule{rule([]string{"get", "list"}, []string{""}, []string{"pods"})}, nil},
		{"stars", []rbacv1.PolicyRule{rule([]string{"*"}, []string{"*"}, []string{"*"})},
			[]rbacv1.PolicyRule{rule([]string{"delete"}, []string{"apps"}, []string{"deployments/scale"})}, nil},
		{"missing verb", []rbacv1.PolicyRule{rule([]string{"get"}, []string{""}, []string{"pods"})},
			[]rbacv1.PolicyRule{rule([]string{"get", "delete"}, []string{""}, []string{"pods"})},
			[]rbacv1.PolicyRule{rule([]string{"delete"}, []string{""}, []string{"pods"})}},
		{"star is not covered by a list", []rbacv1.PolicyRule{rule([]string{"get", "list"}, []string{""}, []string{"pods"})},
			[]rbacv1.PolicyRule{rule([]string{"*"}, []string{""}, []string{"pods"})},
			[]rbacv1.PolicyRule{rule([]string{"*"}, []string{""}, []string{"pods"})}},
		{"*/subresource", []rbacv1.PolicyRule{rule([]string{"get"}, []string{"*"}, []string{"*/scale"})},
			[]rbacv1.PolicyRule{rule([]string{"get"}, []string{"apps"}, []string{"deployments/scale"})}, nil},
		{"*/subresource does not cover the resource", []rbacv1.PolicyRule{rule([]string{"get"}, []string{"*"}, []string{"*/scale"})},
			[]rbacv1.PolicyRule{rule([]string{"get"}, []string{"apps"}, []string{"deployments"})},
			[]rbacv1.PolicyRule{rule([]string{"get"}, []string{"apps"}, []string{"deployments"})}},
		{"names covered by unnamed", []rbacv1.PolicyRule{rule([]string{"get"}, []string{""}, []string{"secrets"})},
			[]rbacv1.PolicyRule{named([]string{"get"}, []string{""}, []string{"secrets"}, []string{"a", "b"})}, nil},
		{"unnamed not covered by named", []rbacv1.PolicyRule{named([]string{"get"}, []string{""}, []string{"secrets"}, []string{"a"})},
			[]rbacv1.PolicyRule{rule([]string{"get"}, []string{""}, []string{"secrets"})},
			[]rbacv1.PolicyRule{rule([]string{"get"}, []string{""}, []string{"secrets"})}},
		{"other name", []rbacv1.PolicyRule{named([]string{"get"}, []string{""}, []string{"secrets"}, []string{"a"})},
			[]rbacv1.PolicyRule{named([]string{"get"}, []string{""}, []string{"secrets"}, []string{"a", "b"})},
			[]rbacv1.PolicyRule{named([]string{"get"}, []string{""}, []string{"secrets"}, []string{"b"})}},
		{"url prefix", []rbacv1.PolicyRule{urls([]string{"get"}, []string{"/healthz/*"})},
			[]rbacv1.PolicyRule{urls([]string{"get"}, []string{"/healthz/etcd", "/metrics"})},
			[]rbacv1.PolicyRule{urls([]string{"get"}, []string{"/metrics"})}},
		{"resource rule does not cover urls", []rbacv1.PolicyRule{rule([]string{"*"}, []string{"*"}, []string{"*"})},
			[]rbacv1.PolicyRule{urls([]string{"get"}, []string{"/metrics"})},
			[]rbacv1.PolicyRule{urls([]string{"get"}, []string{"/metrics"})}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, missing := Covers(tt.owner, tt.servant)
			if ok != (len(tt.wantMissing) == 0) || !reflect.DeepEqual(missing, tt.wantMissing) {
				t.Errorf("got %v %+v, want %+v", ok, missing, tt.wantMissing)
			}
		})
	}
}

func TestCompact(t *testing.T) {
	in := []rbacv1.PolicyRule{
		rule([]string{"get"}, []string{""}, []string{"pods"}),
		{Verbs: []string{"get"}, NonResourceURLs: []string{"/x"}},
		rule([]string{"list"}, []string{""}, []string{"pods"}),
		rule([]string{"get"}, []string{""}, []string{"pods"}),
		{Verbs: []string{"get"}, APIGroups: []string{""}, Resources: []string{"secrets"}, ResourceNames: []string{"a"}},
		{Verbs: []string{"delete"}, APIGroups: []string{""}, Resources: []string{"secrets"}, ResourceNames: []string{"a"}},
	}
	want := []rbacv1.PolicyRule{
		{Verbs: []string{"get"}, NonResourceURLs: []string{"/x"}},
		rule([]string{"get", "list"}, []string{""}, []string{"pods"}),
		{Verbs: []string{"get", "delete"}, APIGroups: []string{""}, Resources: []string{"secrets"}, ResourceNames: []string{"a"}},
	}
	if got := CompactRules(in); !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v", got)
	}
	for r, s := range map[string]rbacv1.PolicyRule{
		`{APIGroups:[""], Resources:["pods"], Verbs:["get" "list"]}`:                          rule([]string{"get", "list"}, []string{""}, []string{"pods"}),
		`{APIGroups:["apps"], Resources:["deployments"], ResourceNames:["web"], Verbs:["*"]}`: {Verbs: []string{"*"}, APIGroups: []string{"apps"}, Resources: []string{"deployments"}, ResourceNames: []string{"web"}},
		`{NonResourceURLs:["/metrics"], Verbs:["get"]}`:                                       {Verbs: []string{"get"}, NonResourceURLs: []string{"/metrics"}},
	} {
		if got := CompactString(s); got != r {
			t.Errorf("got %s, want %s", got, r)
		}
	}
}
