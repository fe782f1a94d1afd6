package rbac

import (
	"context"
	"reflect"
	"testing"

	"github.com/skiff-dev/skiff/apiserver/authentication"
	"github.com/skiff-dev/skiff/apiserver/authorization"
	authorizationv1 "k8s.io/api/authorization/v1"
	rbacv1 "k8s.io/api/rbac/v1"
)

func fixture() *store {
	return &store{
		roles: []*rbacv1.Role{
			role("team-a", "pod-reader", rule([]string{"get", "list", "watch"}, []string{""}, []string{"pods", "pods/log"})),
			role("team-b", "pod-reader", rule([]string{"get"}, []string{""}, []string{"pods"})),
		},
		clusterRoles: []*rbacv1.ClusterRole{
			clusterRole("node-reader", rule([]string{"get", "list"}, []string{""}, []string{"nodes"})),
			clusterRole("deployer", rule([]string{"*"}, []string{"apps"}, []string{"deployments", "deployments/scale"})),
			clusterRole("metrics", rbacv1.PolicyRule{Verbs: []string{"get"}, NonResourceURLs: []string{"/metrics", "/healthz/*"}}),
		},
		roleBindings: []*rbacv1.RoleBinding{
			roleBinding("team-a", "readers", "Role", "pod-reader", user("alice"), group("auditors")),
			roleBinding("team-a", "ci", "ClusterRole", "deployer", sa("", "ci"), sa("tools", "builder")),
			roleBinding("team-b", "readers", "Role", "pod-reader", user("bob")),
			roleBinding("team-b", "broken", "Role", "missing", user("carol")),
		},
		clusterRoleBindings: []*rbacv1.ClusterRoleBinding{
			clusterRoleBinding("nodes", "node-reader", group("ops")),
			clusterRoleBinding("monitoring", "metrics", user("prometheus"), sa("monitoring", "prometheus")),
			clusterRoleBinding("sa-without-namespace", "deployer", sa("", "ghost")),
			clusterRoleBinding("dangling", "gone", user("carol")),
		},
	}
}

func TestAuthorize(t *testing.T) {
	alice := &authentication.User{Name: "alice", Groups: []string{"system:authenticated"}}
	auditor := &authentication.User{Name: "dave", Groups: []string{"auditors"}}
	opsUser := &authentication.User{Name: "olga", Groups: []string{"ops", "system:authenticated"}}
	ci := &authentication.User{Name: "system:serviceaccount:team-a:ci", Groups: []string{"system:serviceaccounts"}}
	builder := &authentication.User{Name: "system:serviceaccount:tools:builder"}
	ghost := &authentication.User{Name: "system:serviceaccount:team-a:ghost"}
	prom := &authentication.User{Name: "system:serviceaccount:monitoring:prometheus"}
	carol := &authentication.User{Name: "carol"}
	in := func(ns string, a authorization.Attributes) authorization.Attributes { a.Namespace = ns; return a }
	cluster := func(a authorization.Attributes) authorization.Attributes { a.Namespace = ""; return a }

	tests := []struct {
		name       string
		user       *authentication.User
		attrs      authorization.Attributes
		want       authorization.Decision
		wantReason string
	}{
		{"user via rolebinding", alice, in("team-a", res("list", "", "pods", "", "")), authorization.Allow,
			`RBAC: allowed by RoleBinding "readers/team-a" of Role "pod-reader" to User "alice"`},
		{"subresource granted", alice, in("team-a", res("get", "", "pods", "log", "web")), authorization.Allow, ""},
		{"subresource not granted", alice, in("team-a", res("create", "", "pods", "exec", "web")), authorization.NoOpinion, ""},
		{"role is namespaced", alice, in("team-b", res("get", "", "pods", "", "")), authorization.NoOpinion, ""},
		{"role binding grants nothing cluster-wide", alice, cluster(res("list", "", "pods", "", "")), authorization.NoOpinion, ""},
		{"group via rolebinding", auditor, in("team-a", res("watch", "", "pods", "", "")), authorization.Allow,
			`RBAC: allowed by RoleBinding "readers/team-a" of Role "pod-reader" to Group "auditors"`},
		{"group via clusterrolebinding, cluster scope", opsUser, cluster(res("list", "", "nodes", "", "")), authorization.Allow,
			`RBAC: allowed by ClusterRoleBinding "nodes" of ClusterRole "node-reader" to Group "ops"`},
		{"clusterrolebinding applies in every namespace", opsUser, in("anything", res("get", "", "nodes", "", "n1")), authorization.Allow, ""},
		{"service account, namespace implied by the rolebinding", ci, in("team-a", res("patch", "apps", "deployments", "", "web")), authorization.Allow,
			`RBAC: allowed by RoleBinding "ci/team-a" of ClusterRole "deployer" to ServiceAccount "ci/team-a"`},
		{"clusterrole through rolebinding stays in the namespace", ci, in("team-b", res("patch", "apps", "deployments", "", "web")), authorization.NoOpinion, ""},
		{"service account of another namespace", builder, in("team-a", res("update", "apps", "deployments", "scale", "web")), authorization.Allow,
			`RBAC: allowed by RoleBinding "ci/team-a" of ClusterRole "deployer" to ServiceAccount "builder/tools"`},
		{"service account without namespace in a clusterrolebinding", ghost, in("team-a", res("get", "apps", "deployments", "", "")), authorization.NoOpinion, ""},
		{"service account via clusterrolebinding, non-resource", prom, path("get", "/healthz/etcd"), authorization.Allow,
			`RBAC: allowed by ClusterRoleBinding "monitoring" of ClusterRole "metrics" to ServiceAccount "prometheus/monitoring"`},
		{"user name is not a service account", &authentication.User{Name: "prometheus"}, path("get", "/metrics"), authorization.Allow, ""},
		{"non-resource not granted", prom, path("get", "/debug/pprof"), authorization.NoOpinion, ""},
		{"missing roles are reported", carol, in("team-b", res("get", "", "pods", "", "")), authorization.NoOpinion,
			`RBAC: [clusterrole.rbac.authorization.k8s.io "gone" not found, role.rbac.authorization.k8s.io "missing" not found]`},
		{"unknown user", &authentication.User{Name: "eve"}, in("team-a", res("get", "", "pods", "", "")), authorization.NoOpinion, ""},
		{"no user", nil, in("team-a", res("get", "", "pods", "", "")), authorization.NoOpinion, ""},
	}
	a := New(nil, fixture().source())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			attrs := tt.attrs
			attrs.User = tt.user
			d, reason, err := a.Authorize(context.Background(), attrs)
			if err != nil {
				t.Fatal(err)
			}
			if d != tt.want {
				t.Errorf("decision %v, want %v (reason %q)", d, tt.want, reason)
			}
			if (tt.wantReason != "" || d == authorization.NoOpinion) && reason != tt.wantReason {
				t.Errorf("reason\n%s\nwant\n%s", reason, tt.wantReason)
			}
		})
	}
}

func TestRulesFor(t *testing.T) {
	a := New(nil, fixture().source())
	u := &authentication.User{Name: "alice", Groups: []string{"ops"}}
	res, nonRes, incomplete, err := a.RulesFor(context.Background(), u, "team-a")
	if err != nil || incomplete {
		t.Fatal(err, incomplete)
	}
	wantRes := []authorizationv1.ResourceRule{
		{Verbs: []string{"get", "list"}, APIGroups: []string{""}, Resources: []string{"nodes"}},
		{Verbs: []string{"get", "list", "watch"}, APIGroups: []string{""}, Resources: []string{"pods", "pods/log"}},
	}
	if !reflect.DeepEqual(res, wantRes) || len(nonRes) != 0 {
		t.Errorf("resource rules %+v non-resource %+v", res, nonRes)
	}

	// a rule with URLs comes back as a non-resource rule
	_, nonRes, _, _ = a.RulesFor(context.Background(), &authentication.User{Name: "prometheus"}, "")
	if !reflect.DeepEqual(nonRes, []authorizationv1.NonResourceRule{{Verbs: []string{"get"}, NonResourceURLs: []string{"/metrics", "/healthz/*"}}}) {
		t.Errorf("non-resource %+v", nonRes)
	}

	// a dangling binding: the rules that exist, and the error
	res, _, _, err = a.RulesFor(context.Background(), &authentication.User{Name: "carol", Groups: []string{"ops"}}, "team-b")
	if len(res) != 1 || err == nil || err.Error() != `[clusterrole.rbac.authorization.k8s.io "gone" not found, role.rbac.authorization.k8s.io "missing" not found]` {
		t.Errorf("%+v %v", res, err)
	}

	// through the authorization union (as SelfSubjectRulesReview asks)
	chain, _ := authorization.Chain([]string{authorization.ModeRBAC}, map[string]authorization.Authorizer{authorization.ModeRBAC: a})
	res, _, _, _ = chain.RulesFor(context.Background(), u, "team-a")
	if len(res) != 2 {
		t.Errorf("chain rules %+v", res)
	}
}
