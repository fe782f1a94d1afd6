// Package bootstrap holds the RBAC policy kube-apiserver creates at start,
// as upstream v1.31 does: the default ClusterRoles (cluster-admin, admin,
// edit, view and their aggregate-to-* parts, the system:* roles of the
// control plane and nodes, one system:controller:* role per
// kube-controller-manager controller), their ClusterRoleBindings, and a
// few Roles and RoleBindings in kube-system and kube-public.
//
// Reconcile writes them through a small client interface with upstream's
// "reconcile" semantics: create what is missing, and for objects whose
// rbac.authorization.kubernetes.io/autoupdate annotation is not "false",
// add missing rules, aggregation selectors, subjects, labels and
// annotations, never removing any.
package bootstrap
