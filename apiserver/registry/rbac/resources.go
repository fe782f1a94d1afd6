package rbac

import (
	"time"

	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/api/validation/path"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

// Resources lists every rbac.authorization.k8s.io/v1 resource. All four
// may be created by PUT, as upstream (RBAC reconciliation relies on it).
// Roles and cluster roles have no table of their own: upstream shows
// them with the default NAME and CREATED AT.
func Resources() []*registry.Resource {
	now := time.Now
	return []*registry.Resource{
		{
			GVR: rbacv1.SchemeGroupVersion.WithResource("roles"), Kind: "Role", SingularName: "role", Namespaced: true,
			StoragePrefix: "roles",
			New:           func() storage.Object { return &rbacv1.Role{} },
			NewList:       func() runtime.Object { return &rbacv1.RoleList{} },
			Strategy:      roleStrategy{}, AllowCreateOnUpdate: true,
		},
		{
			GVR: rbacv1.SchemeGroupVersion.WithResource("clusterroles"), Kind: "ClusterRole", SingularName: "clusterrole",
			StoragePrefix: "clusterroles",
			New:           func() storage.Object { return &rbacv1.ClusterRole{} },
			NewList:       func() runtime.Object { return &rbacv1.ClusterRoleList{} },
			Strategy:      clusterRoleStrategy{}, AllowCreateOnUpdate: true,
		},
		{
			GVR: rbacv1.SchemeGroupVersion.WithResource("rolebindings"), Kind: "RoleBinding", SingularName: "rolebinding", Namespaced: true,
			StoragePrefix: "rolebindings",
			New:           func() storage.Object { return &rbacv1.RoleBinding{} },
			NewList:       func() runtime.Object { return &rbacv1.RoleBindingList{} },
			Strategy:      roleBindingStrategy{}, AllowCreateOnUpdate: true,
			Table: bindingTable("roleBinding", now),
		},
		{
			GVR: rbacv1.SchemeGroupVersion.WithResource("clusterrolebindings"), Kind: "ClusterRoleBinding", SingularName: "clusterrolebinding",
			StoragePrefix: "clusterrolebindings",
			New:           func() storage.Object { return &rbacv1.ClusterRoleBinding{} },
			NewList:       func() runtime.Object { return &rbacv1.ClusterRoleBindingList{} },
			Strategy:      clusterRoleBindingStrategy{}, AllowCreateOnUpdate: true,
			Table: bindingTable("clusterRoleBinding", now),
		},
	}
}

// rbacNames gives RBAC objects upstream's minimal name rule: a valid path
// segment ("system:controller:x" is fine).
type rbacNames struct{}

// ValidateName accepts any name usable in a URL path segment.
func (rbacNames) ValidateName(name string, _ bool) []string { return path.IsValidPathSegmentName(name) }
