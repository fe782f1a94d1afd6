// Package rbac is the RBAC authorizer (--authorization-mode=RBAC): it
// allows a request when a RoleBinding in the request's namespace or a
// ClusterRoleBinding binds the user (by name, group or service account) to
// a Role or ClusterRole with a rule covering it. It reads the four RBAC
// kinds through small lister interfaces the caller backs with caches.
//
// It also holds what the RBAC registry and controllers need from the same
// rules: RulesFor (SelfSubjectRulesReview), the escalation checks on
// writes of roles and bindings (ConfirmNoEscalation, Guard) and the
// aggregation of ClusterRoles (AggregateRules).
package rbac
