package rbac

import (
	"context"
	"testing"

	"github.com/skiff-dev/skiff/apiserver/authentication"
	"github.com/skiff-dev/skiff/apiserver/authorization"
	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestEscalation(t *testing.T) {
	s := &store{
		clusterRoles: []*rbacv1.ClusterRole{
			clusterRole("pod-admin", rule([]string{"*"}, []string{""}, []string{"pods", "pods/log"})),
			clusterRole("secret-reader", rule([]string{"get", "list"}, []string{""}, []string{"secrets"})),
			clusterRole("role-escalator", rule([]string{"escalate", "create", "update"}, []string{rbacv1.GroupName}, []string{"roles"})),
			clusterRole("binder", rbacv1.PolicyRule{Verbs: []string{"bind"}, APIGroups: []string{rbacv1.GroupName}, Resources: []string{"clusterroles"}, ResourceNames: []string{"secret-reader"}}),
			clusterRole("cluster-admin", rule([]string{"*"}, []string{"*"}, []string{"*"}), rbacv1.PolicyRule{Verbs: []string{"*"}, NonResourceURLs: []string{"*"}}),
		},
		roleBindings: []*rbacv1.RoleBinding{
			roleBinding("dev", "bob-pods", "ClusterRole", "pod-admin", user("bob")),
			roleBinding("dev", "erin-escalate", "ClusterRole", "role-escalator", user("erin")),
			roleBinding("dev", "frank-binds", "ClusterRole", "binder", user("frank")),
		},
		clusterRoleBindings: []*rbacv1.ClusterRoleBinding{clusterRoleBinding("admins", "cluster-admin", user("root"))},
	}
	rbac := New(nil, s.source())
	chain, err := authorization.Chain([]string{authorization.ModeRBAC}, map[string]authorization.Authorizer{authorization.ModeRBAC: rbac})
	if err != nil {
		t.Fatal(err)
	}
	e := NewEscalation(nil, s.source(), chain)
	ctx := context.Background()
	bob := &authentication.User{Name: "bob", Groups: []string{"devs", "system:authenticated"}}
	erin := &authentication.User{Name: "erin"}
	frank := &authentication.User{Name: "frank"}
	root := &authentication.User{Name: "root"}
	masters := &authentication.User{Name: "m", Groups: []string{"system:masters"}}

	podRole := role("dev", "pods", rule([]string{"get", "delete"}, []string{""}, []string{"pods"}))
	secretRole := role("dev", "secrets", rule([]string{"get", "list"}, []string{""}, []string{"secrets"}), rule([]string{"watch"}, []string{""}, []string{"secrets"}))

	t.Run("role within held permissions", func(t *testing.T) {
		if err := e.CheckRole(ctx, bob, podRole, nil); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("role in another namespace", func(t *testing.T) {
		other := role("prod", "pods", podRole.Rules...)
		if err := e.CheckRole(ctx, bob, other, nil); !apierrors.IsForbidden(err) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("role escalating", func(t *testing.T) {
		err := e.CheckRole(ctx, bob, secretRole, nil)
		want := `roles.rbac.authorization.k8s.io "secrets" is forbidden: user "bob" (groups=["devs" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:
{APIGroups:[""], Resources:["secrets"], Verbs:["get" "list" "watch"]}`
		if !apierrors.IsForbidden(err) || err.Error() != want {
			t.Fatalf("got\n%v\nwant\n%s", err, want)
		}
		st := err.(*apierrors.StatusError).ErrStatus
		if st.Details.Kind != "roles" || st.Details.Group != rbacv1.GroupName || st.Details.Name != "secrets" {
			t.Errorf("details %+v", st.Details)
		}
	})
	t.Run("escalate verb", func(t *testing.T) {
		if err := e.CheckRole(ctx, erin, secretRole, nil); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("system:masters", func(t *testing.T) {
		if err := e.CheckRole(ctx, masters, secretRole, nil); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("update touching only GC fields", func(t *testing.T) {
		changed := secretRole.DeepCopy()
		changed.Finalizers = []string{"x"}
		changed.OwnerReferences = []metav1.OwnerReference{{Name: "o"}}
		if err := e.CheckRole(ctx, bob, changed, secretRole); err != nil {
			t.Fatal(err)
		}
		changed.Labels = map[string]string{"a": "b"}
		if err := e.CheckRole(ctx, bob, changed, secretRole); !apierrors.IsForbidden(err) {
			t.Fatalf("label change passed: %v", err)
		}
	})
	t.Run("binding to a held role", func(t *testing.T) {
		b := roleBinding("dev", "b", "ClusterRole", "pod-admin", user("someone"))
		if err := e.CheckRoleBinding(ctx, bob, b, nil); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("binding escalating", func(t *testing.T) {
		b := roleBinding("dev", "b", "ClusterRole", "secret-reader", user("someone"))
		err := e.CheckRoleBinding(ctx, bob, b, nil)
		want := `rolebindings.rbac.authorization.k8s.io "b" is forbidden: user "bob" (groups=["devs" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:
{APIGroups:[""], Resources:["secrets"], Verbs:["get" "list"]}`
		if err == nil || err.Error() != want {
			t.Fatalf("got\n%v\nwant\n%s", err, want)
		}
	})
	t.Run("bind verb", func(t *testing.T) {
		b := roleBinding("dev", "b", "ClusterRole", "secret-reader", user("someone"))
		if err := e.CheckRoleBinding(ctx, frank, b, nil); err != nil {
			t.Fatal(err)
		}
		// bind on secret-reader only, and only in dev
		if err := e.CheckRoleBinding(ctx, frank, roleBinding("dev", "b", "ClusterRole", "pod-admin"), nil); !apierrors.IsForbidden(err) {
			t.Errorf("other role: %v", err)
		}
		if err := e.CheckClusterRoleBinding(ctx, frank, clusterRoleBinding("c", "secret-reader"), nil); !apierrors.IsForbidden(err) {
			t.Errorf("cluster-wide: %v", err)
		}
	})
	t.Run("binding to a missing role", func(t *testing.T) {
		err := e.CheckRoleBinding(ctx, bob, roleBinding("dev", "b", "Role", "nope"), nil)
		if !apierrors.IsNotFound(err) || err.Error() != `roles.rbac.authorization.k8s.io "nope" not found` {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("cluster role binding by cluster admin", func(t *testing.T) {
		if err := e.CheckClusterRoleBinding(ctx, root, clusterRoleBinding("c", "secret-reader"), nil); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("aggregation rule needs everything", func(t *testing.T) {
		agg := &rbacv1.ClusterRole{ObjectMeta: metav1.ObjectMeta{Name: "agg"},
			AggregationRule: &rbacv1.AggregationRule{ClusterRoleSelectors: []metav1.LabelSelector{{MatchLabels: map[string]string{"x": "true"}}}}}
		bobCluster := &store{clusterRoles: s.clusterRoles, clusterRoleBindings: []*rbacv1.ClusterRoleBinding{clusterRoleBinding("bp", "pod-admin", user("bob"))}}
		e2 := NewEscalation(nil, bobCluster.source(), nil)
		err := e2.CheckClusterRole(ctx, bob, agg, nil)
		if !apierrors.IsForbidden(err) || err.Error() != `clusterroles.rbac.authorization.k8s.io "agg" is forbidden: must have cluster-admin privileges to use the aggregationRule` {
			t.Fatalf("got %v", err)
		}
		if err := e.CheckClusterRole(ctx, root, agg, nil); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("resolution errors are told", func(t *testing.T) {
		broken := &store{clusterRoles: s.clusterRoles, clusterRoleBindings: []*rbacv1.ClusterRoleBinding{clusterRoleBinding("x", "gone", user("bob"))}}
		err := NewEscalation(nil, broken.source(), nil).ConfirmNoEscalation(ctx, bob, podRole.Rules, "")
		want := `user "bob" (groups=["devs" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:
{APIGroups:[""], Resources:["pods"], Verbs:["get" "delete"]}; resolution errors: [clusterroles.rbac.authorization.k8s.io "gone" not found]`
		if err == nil || err.Error() != want {
			t.Fatalf("got\n%v\nwant\n%s", err, want)
		}
	})
	t.Run("no user", func(t *testing.T) {
		if err := e.ConfirmNoEscalation(ctx, nil, podRole.Rules, "dev"); err == nil {
			t.Fatal("no user passed")
		}
	})
}
