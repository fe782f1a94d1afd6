package rbac

import (
	"context"
	"fmt"
	"strings"
	"time"

	rbacv1 "k8s.io/api/rbac/v1"
	apimachineryvalidation "k8s.io/apimachinery/pkg/api/validation"
	"k8s.io/apimachinery/pkg/api/validation/path"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/registry/betadocs"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

type roleBindingStrategy struct {
	registry.Plain
	rbacNames
}

func (roleBindingStrategy) Default(obj storage.Object) {
	b := obj.(*rbacv1.RoleBinding)
	defaultBinding(&b.RoleRef, b.Subjects)
}

func (roleBindingStrategy) Validate(_ context.Context, obj storage.Object) field.ErrorList {
	b := obj.(*rbacv1.RoleBinding)
	return validateBinding(b.RoleRef, b.Subjects, true)
}

func (roleBindingStrategy) ValidateUpdate(_ context.Context, obj, old storage.Object) field.ErrorList {
	b, o := obj.(*rbacv1.RoleBinding), old.(*rbacv1.RoleBinding)
	errs := append(validateBinding(b.RoleRef, b.Subjects, true), validateBinding(b.RoleRef, b.Subjects, true)...)
	return append(errs, validateRoleRefUpdate(b.RoleRef, o.RoleRef)...)
}

type clusterRoleBindingStrategy struct {
	registry.Plain
	rbacNames
}

func (clusterRoleBindingStrategy) Default(obj storage.Object) {
	b := obj.(*rbacv1.ClusterRoleBinding)
	defaultBinding(&b.RoleRef, b.Subjects)
}

func (clusterRoleBindingStrategy) Validate(_ context.Context, obj storage.Object) field.ErrorList {
	b := obj.(*rbacv1.ClusterRoleBinding)
	return validateBinding(b.RoleRef, b.Subjects, false)
}

func (clusterRoleBindingStrategy) ValidateUpdate(_ context.Context, obj, old storage.Object) field.ErrorList {
	b, o := obj.(*rbacv1.ClusterRoleBinding), old.(*rbacv1.ClusterRoleBinding)
	errs := append(validateBinding(b.RoleRef, b.Subjects, false), validateBinding(b.RoleRef, b.Subjects, false)...)
	return append(errs, validateRoleRefUpdate(b.RoleRef, o.RoleRef)...)
}

// defaultBinding is upstream's SetDefaults_RoleBinding and _Subject: the
// RBAC group for the role reference and for users and groups.
func defaultBinding(ref *rbacv1.RoleRef, subjects []rbacv1.Subject) {
	if ref.APIGroup == "" {
		ref.APIGroup = rbacv1.GroupName
	}
	for i := range subjects {
		s := &subjects[i]
		if s.APIGroup == "" && (s.Kind == rbacv1.UserKind || s.Kind == rbacv1.GroupKind) {
			s.APIGroup = rbacv1.GroupName
		}
	}
}

// validateBinding checks the role reference (Role or ClusterRole in a
// role binding, ClusterRole in a cluster role binding) and the subjects.
func validateBinding(ref rbacv1.RoleRef, subjects []rbacv1.Subject, namespaced bool) field.ErrorList {
	var errs field.ErrorList
	refPath := field.NewPath("roleRef")
	if ref.APIGroup != rbacv1.GroupName {
		errs = append(errs, field.NotSupported(refPath.Child("apiGroup"), ref.APIGroup, []string{rbacv1.GroupName}))
	}
	kinds := []string{"ClusterRole"}
	if namespaced {
		kinds = []string{"Role", "ClusterRole"}
	}
	if ref.Kind != "ClusterRole" && (!namespaced || ref.Kind != "Role") {
		errs = append(errs, field.NotSupported(refPath.Child("kind"), ref.Kind, kinds))
	}
	if ref.Name == "" {
		errs = append(errs, field.Required(refPath.Child("name"), ""))
	} else {
		for _, msg := range path.IsValidPathSegmentName(ref.Name) {
			errs = append(errs, field.Invalid(refPath.Child("name"), ref.Name, msg))
		}
	}
	for i, s := range subjects {
		errs = append(errs, validateSubject(s, namespaced, field.NewPath("subjects").Index(i))...)
	}
	return errs
}

// validateSubject: a named User, Group (RBAC group) or ServiceAccount (core
// group; cluster role bindings must name its namespace).
func validateSubject(s rbacv1.Subject, namespaced bool, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	if s.Name == "" {
		errs = append(errs, field.Required(fldPath.Child("name"), ""))
	}
	switch s.Kind {
	case rbacv1.ServiceAccountKind:
		if s.Name != "" {
			for _, msg := range apimachineryvalidation.NameIsDNSSubdomain(s.Name, false) {
				errs = append(errs, field.Invalid(fldPath.Child("name"), s.Name, msg))
			}
		}
		if s.APIGroup != "" {
			errs = append(errs, field.NotSupported(fldPath.Child("apiGroup"), s.APIGroup, []string{""}))
		}
		if !namespaced && s.Namespace == "" {
			errs = append(errs, field.Required(fldPath.Child("namespace"), ""))
		}
	case rbacv1.UserKind, rbacv1.GroupKind:
		if s.APIGroup != rbacv1.GroupName {
			errs = append(errs, field.NotSupported(fldPath.Child("apiGroup"), s.APIGroup, []string{rbacv1.GroupName}))
		}
	default:
		errs = append(errs, field.NotSupported(fldPath.Child("kind"), s.Kind, []string{rbacv1.ServiceAccountKind, rbacv1.UserKind, rbacv1.GroupKind}))
	}
	return errs
}

func validateRoleRefUpdate(ref, old rbacv1.RoleRef) field.ErrorList {
	if ref == old {
		return nil
	}
	return field.ErrorList{field.Invalid(field.NewPath("roleRef"), ref, "cannot change roleRef")}
}

// bindingTable renders NAME, ROLE ("ClusterRole/view"), AGE and, wide, the
// subjects by kind. what names the kind in the wide columns' descriptions.
func bindingTable(what string, now func() time.Time) registry.TableFunc {
	roleDoc := betadocs.RoleBindingRoleRef
	if what == "clusterRoleBinding" {
		roleDoc = betadocs.ClusterRoleBindingRoleRef
	}
	columns := []metav1.TableColumnDefinition{
		registry.NameColumn,
		{Name: "Role", Type: "string", Description: roleDoc},
		registry.AgeColumn,
		{Name: "Users", Type: "string", Priority: 1, Description: "Users in the " + what},
		{Name: "Groups", Type: "string", Priority: 1, Description: "Groups in the " + what},
		{Name: "ServiceAccounts", Type: "string", Priority: 1, Description: "ServiceAccounts in the " + what},
	}
	return registry.Rows(columns, now, bindingRow)
}

func bindingRow(obj storage.Object, now time.Time) ([]any, error) {
	var ref rbacv1.RoleRef
	var subjects []rbacv1.Subject
	switch b := obj.(type) {
	case *rbacv1.RoleBinding:
		ref, subjects = b.RoleRef, b.Subjects
	case *rbacv1.ClusterRoleBinding:
		ref, subjects = b.RoleRef, b.Subjects
	}
	users, groups, sas := subjectStrings(subjects)
	return []any{obj.GetName(), ref.Kind + "/" + ref.Name, registry.Age(obj.GetCreationTimestamp(), now),
		strings.Join(users, ", "), strings.Join(groups, ", "), strings.Join(sas, ", ")}, nil
}

// subjectStrings splits subjects into users, groups and "namespace/name"
// service accounts.
func subjectStrings(subjects []rbacv1.Subject) (users, groups, sas []string) {
	for _, s := range subjects {
		switch s.Kind {
		case rbacv1.ServiceAccountKind:
			sas = append(sas, fmt.Sprintf("%s/%s", s.Namespace, s.Name))
		case rbacv1.UserKind:
			users = append(users, s.Name)
		case rbacv1.GroupKind:
			groups = append(groups, s.Name)
		}
	}
	return users, groups, sas
}
