package rbac

import (
	"context"

	rbacv1 "k8s.io/api/rbac/v1"
)

// RoleGetter reads a Role. A missing role is reported with an error that
// apierrors.IsNotFound or errors.Is(err, storage.ErrNotFound) recognises.
type RoleGetter interface {
	GetRole(ctx context.Context, namespace, name string) (*rbacv1.Role, error)
}

// RoleBindingLister lists the RoleBindings of a namespace.
type RoleBindingLister interface {
	ListRoleBindings(ctx context.Context, namespace string) ([]*rbacv1.RoleBinding, error)
}

// ClusterRoleGetter reads a ClusterRole (same not-found contract as
// RoleGetter).
type ClusterRoleGetter interface {
	GetClusterRole(ctx context.Context, name string) (*rbacv1.ClusterRole, error)
}

// ClusterRoleBindingLister lists every ClusterRoleBinding.
type ClusterRoleBindingLister interface {
	ListClusterRoleBindings(ctx context.Context) ([]*rbacv1.ClusterRoleBinding, error)
}

// Source is where the rules are read from. The objects returned are only
// read, never changed.
type Source struct {
	Roles               RoleGetter
	RoleBindings        RoleBindingLister
	ClusterRoles        ClusterRoleGetter
	ClusterRoleBindings ClusterRoleBindingLister
}
