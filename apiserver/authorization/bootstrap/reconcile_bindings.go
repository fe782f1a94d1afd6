package bootstrap

import (
	"slices"

	rbacv1 "k8s.io/api/rbac/v1"
)

// clusterRoleBindings reconciles ClusterRoleBindings.
var clusterRoleBindings = bindingKind("ClusterRoleBinding", false,
	func(b *rbacv1.ClusterRoleBinding) *[]rbacv1.Subject { return &b.Subjects },
	func(b *rbacv1.ClusterRoleBinding) rbacv1.RoleRef { return b.RoleRef })

// roleBindings reconciles RoleBindings.
var roleBindings = bindingKind("RoleBinding", true,
	func(b *rbacv1.RoleBinding) *[]rbacv1.Subject { return &b.Subjects },
	func(b *rbacv1.RoleBinding) rbacv1.RoleRef { return b.RoleRef })

// bindingKind is a kind of binding whose subjects subjectsOf points at:
// an existing binding gains the subjects it lacks; one whose roleRef
// differs (a roleRef cannot be updated) is replaced.
func bindingKind[T rbacObject[T]](kind string, namespaced bool, subjectsOf func(T) *[]rbacv1.Subject, roleRefOf func(T) rbacv1.RoleRef) reconcileKind[T] {
	return reconcileKind[T]{
		kind:       kind,
		namespaced: namespaced,
		content:    func(expected T) additions { return additions{subjects: *subjectsOf(expected)} },
		merge: func(want, expected T) (additions, bool) {
			var added additions
			subjects := subjectsOf(want)
			*subjects, added.subjects = mergeSubjects(*subjects, *subjectsOf(expected))
			return added, len(added.subjects) > 0
		},
		replace: func(existing, expected T) bool { return roleRefOf(existing) != roleRefOf(expected) },
	}
}

// mergeSubjects returns have with the subjects of want it lacks appended
// (in a new slice), and those subjects.
func mergeSubjects(have, want []rbacv1.Subject) (subjects, missing []rbacv1.Subject) {
	for _, s := range want {
		if !slices.Contains(have, s) {
			missing = append(missing, s)
		}
	}
	if len(missing) > 0 {
		return append(append([]rbacv1.Subject{}, have...), missing...), missing
	}
	return have, missing
}
