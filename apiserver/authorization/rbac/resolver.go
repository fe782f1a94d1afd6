package rbac

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/skiff-dev/skiff/apiserver/authentication"
	"github.com/skiff-dev/skiff/apiserver/authorization"
	"github.com/skiff-dev/skiff/apiserver/storage"
	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// resolver finds the rules that apply to a user in a namespace.
type resolver struct {
	src Source
	// plural names missing roles as the registry does ("roles"), not as
	// the informer listers do ("role"): upstream's authorizer reads
	// listers, its escalation checks the registry, and clients see both.
	plural bool
}

// visitor is called with each rule that applies (and where it comes from),
// or with an error; returning false stops the walk.
type visitor func(source fmt.Stringer, rule *rbacv1.PolicyRule, err error) bool

// visitRulesFor walks the rules of the ClusterRoleBindings, then of the
// RoleBindings of namespace, that bind user.
func (r *resolver) visitRulesFor(ctx context.Context, user *authentication.User, namespace string, visit visitor) {
	if user == nil {
		return
	}
	if r.src.ClusterRoleBindings != nil {
		crbs, err := r.src.ClusterRoleBindings.ListClusterRoleBindings(ctx)
		if err != nil {
			if !visit(nil, nil, err) {
				return
			}
		}
		for _, b := range crbs {
			if b == nil {
				continue
			}
			i, ok := appliesTo(user, b.Subjects, "")
			if !ok {
				continue
			}
			rules, err := r.roleRefRules(ctx, b.RoleRef, "")
			if err != nil {
				if !visit(nil, nil, err) {
					return
				}
				continue
			}
			src := clusterRoleBindingSource{binding: b, subject: &b.Subjects[i]}
			for j := range rules {
				if !visit(src, &rules[j], nil) {
					return
				}
			}
		}
	}
	if namespace == "" || r.src.RoleBindings == nil {
		return
	}
	rbs, err := r.src.RoleBindings.ListRoleBindings(ctx, namespace)
	if err != nil {
		visit(nil, nil, err)
		return
	}
	for _, b := range rbs {
		if b == nil {
			continue
		}
		i, ok := appliesTo(user, b.Subjects, namespace)
		if !ok {
			continue
		}
		rules, err := r.roleRefRules(ctx, b.RoleRef, namespace)
		if err != nil {
			if !visit(nil, nil, err) {
				return
			}
			continue
		}
		src := roleBindingSource{binding: b, subject: &b.Subjects[i]}
		for j := range rules {
			if !visit(src, &rules[j], nil) {
				return
			}
		}
	}
}

// rulesFor collects every rule that applies; errors (a binding naming a
// missing role) come back beside the rules that could be read.
func (r *resolver) rulesFor(ctx context.Context, user *authentication.User, namespace string) ([]rbacv1.PolicyRule, error) {
	var rules []rbacv1.PolicyRule
	var errs []error
	r.visitRulesFor(ctx, user, namespace, func(_ fmt.Stringer, rule *rbacv1.PolicyRule, err error) bool {
		if rule != nil {
			rules = append(rules, *rule)
		}
		if err != nil {
			errs = append(errs, err)
		}
		return true
	})
	return rules, authorization.JoinErrors(errs)
}

// roleRefRules returns the rules of the role a binding in bindingNamespace
// refers to.
func (r *resolver) roleRefRules(ctx context.Context, ref rbacv1.RoleRef, bindingNamespace string) ([]rbacv1.PolicyRule, error) {
	switch ref.Kind {
	case "Role":
		if r.src.Roles == nil {
			return nil, r.notFound("role", ref.Name)
		}
		role, err := r.src.Roles.GetRole(ctx, bindingNamespace, ref.Name)
		if err != nil {
			return nil, r.normalize(err, "role", ref.Name)
		}
		if role == nil {
			return nil, r.notFound("role", ref.Name)
		}
		return role.Rules, nil
	case "ClusterRole":
		if r.src.ClusterRoles == nil {
			return nil, r.notFound("clusterrole", ref.Name)
		}
		cr, err := r.src.ClusterRoles.GetClusterRole(ctx, ref.Name)
		if err != nil {
			return nil, r.normalize(err, "clusterrole", ref.Name)
		}
		if cr == nil {
			return nil, r.notFound("clusterrole", ref.Name)
		}
		return cr.Rules, nil
	}
	return nil, fmt.Errorf("unsupported role reference kind: %q", ref.Kind)
}

func (r *resolver) normalize(err error, resource, name string) error {
	if apierrors.IsNotFound(err) || errors.Is(err, storage.ErrNotFound) {
		return r.notFound(resource, name)
	}
	return err
}

func (r *resolver) notFound(resource, name string) error {
	if r.plural {
		resource += "s"
	}
	return apierrors.NewNotFound(schema.GroupResource{Group: rbacv1.GroupName, Resource: resource}, name)
}

// appliesTo returns the index of the first subject that is user.
func appliesTo(user *authentication.User, subjects []rbacv1.Subject, namespace string) (int, bool) {
	for i := range subjects {
		if subjectIs(user, &subjects[i], namespace) {
			return i, true
		}
	}
	return 0, false
}

func subjectIs(user *authentication.User, s *rbacv1.Subject, namespace string) bool {
	switch s.Kind {
	case rbacv1.UserKind:
		return user.Name == s.Name
	case rbacv1.GroupKind:
		return slices.Contains(user.Groups, s.Name)
	case rbacv1.ServiceAccountKind:
		// a RoleBinding may leave its own namespace implied
		ns := s.Namespace
		if ns == "" {
			ns = namespace
		}
		return ns != "" && authentication.MatchesServiceAccount(ns, s.Name, user.Name)
	}
	return false
}

type clusterRoleBindingSource struct {
	binding *rbacv1.ClusterRoleBinding
	subject *rbacv1.Subject
}

func (s clusterRoleBindingSource) String() string {
	return fmt.Sprintf("ClusterRoleBinding %q of %s %q to %s",
		s.binding.Name, s.binding.RoleRef.Kind, s.binding.RoleRef.Name, describeSubject(s.subject, ""))
}

type roleBindingSource struct {
	binding *rbacv1.RoleBinding
	subject *rbacv1.Subject
}

func (s roleBindingSource) String() string {
	return fmt.Sprintf("RoleBinding %q of %s %q to %s",
		s.binding.Name+"/"+s.binding.Namespace, s.binding.RoleRef.Kind, s.binding.RoleRef.Name,
		describeSubject(s.subject, s.binding.Namespace))
}

func describeSubject(s *rbacv1.Subject, bindingNamespace string) string {
	if s.Kind == rbacv1.ServiceAccountKind {
		ns := s.Namespace
		if ns == "" {
			ns = bindingNamespace
		}
		return fmt.Sprintf("%s %q", s.Kind, s.Name+"/"+ns)
	}
	return fmt.Sprintf("%s %q", s.Kind, s.Name)
}
