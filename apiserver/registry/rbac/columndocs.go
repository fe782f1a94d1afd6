package rbac

// Column descriptions of this package's tables: upstream's printers take
// them from the field documentation of the beta API types, quoted here so
// that the server does not link those packages (their code and
// registrations cost resident memory) for a few strings.
const (
	// rbacv1beta1.ClusterRoleBinding.roleRef
	docClusterRoleBindingRoleRef = "RoleRef can only reference a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error."
	// rbacv1beta1.RoleBinding.roleRef
	docRoleBindingRoleRef = "RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error."
)
