package rbac

import (
	"testing"

	rbacv1beta1 "k8s.io/api/rbac/v1beta1"
)

// TestColumnDocsAreUpstreams: the quoted descriptions are the beta types' own.
func TestColumnDocsAreUpstreams(t *testing.T) {
	for got, want := range map[string]string{
		docClusterRoleBindingRoleRef: rbacv1beta1.ClusterRoleBinding{}.SwaggerDoc()["roleRef"],
		docRoleBindingRoleRef:        rbacv1beta1.RoleBinding{}.SwaggerDoc()["roleRef"],
	} {
		if got != want {
			t.Errorf("description %q, upstream's %q", got, want)
		}
	}
}
