package rbac

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/skiff-dev/skiff/apiserver/authentication"
	"github.com/skiff-dev/skiff/apiserver/authorization"
	"go.uber.org/zap"
	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// Escalation guards writes of roles and bindings as upstream's RBAC
// registry does: nobody may grant, through a role they write or a binding
// they create, a permission they do not hold themselves, unless they are in
// system:masters or are allowed the "escalate" verb on the role (roles) or
// the "bind" verb on the role referred to (bindings).
type Escalation struct {
	logger   *zap.Logger
	resolver *resolver
	authz    authorization.Authorizer
}

// NewEscalation returns the guard reading the RBAC objects from src and
// asking authz (the apiserver's whole authorizer chain) about "escalate"
// and "bind".
func NewEscalation(logger *zap.Logger, src Source, authz authorization.Authorizer) *Escalation {
	if logger == nil {
		logger = zap.NewNop()
	}
	return &Escalation{logger: logger, resolver: &resolver{src: src, plural: true}, authz: authz}
}

// ConfirmNoEscalation returns nil when user holds every permission in rules
// in namespace ("" for cluster-wide), and otherwise upstream's explanation:
//
//	user "bob" (groups=["devs" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:
//	{APIGroups:[""], Resources:["secrets"], Verbs:["get" "list"]}
func (e *Escalation) ConfirmNoEscalation(ctx context.Context, user *authentication.User, rules []rbacv1.PolicyRule, namespace string) error {
	if user == nil {
		return errors.New("no user on request")
	}
	owned, resolveErr := e.resolver.rulesFor(ctx, user, namespace)
	ok, missing := Covers(owned, rules)
	if ok {
		return nil
	}
	var lines []string
	for _, r := range CompactRules(missing) {
		if s := CompactString(r); !slices.Contains(lines, s) {
			lines = append(lines, s)
		}
	}
	slices.Sort(lines)
	msg := fmt.Sprintf("user %q (groups=%q) is attempting to grant RBAC permissions not currently held:\n%s",
		user.Name, user.Groups, strings.Join(lines, "\n"))
	if resolveErr != nil {
		msg += fmt.Sprintf("; resolution errors: %v", []error{resolveErr})
	}
	return errors.New(msg)
}

var fullAuthority = []rbacv1.PolicyRule{
	{Verbs: []string{"*"}, APIGroups: []string{"*"}, Resources: []string{"*"}},
	{Verbs: []string{"*"}, NonResourceURLs: []string{"*"}},
}

func forbidden(resource, name string, err error) error {
	return apierrors.NewForbidden(schema.GroupResource{Group: rbacv1.GroupName, Resource: resource}, name, err)
}

// CheckRole checks a Role create (old nil) or update by user.
func (e *Escalation) CheckRole(ctx context.Context, user *authentication.User, role, old *rbacv1.Role) error {
	if e.escalationAllowed(ctx, user, "roles", role.Namespace, requestName(role.Name, old != nil)) {
		return nil
	}
	if old != nil {
		c := role.DeepCopy()
		keepGCFields(&c.ObjectMeta, &old.ObjectMeta)
		if equality.Semantic.DeepEqual(c, old) {
			return nil
		}
	}
	if err := e.ConfirmNoEscalation(ctx, user, role.Rules, role.Namespace); err != nil {
		return forbidden("roles", role.Name, err)
	}
	return nil
}

// CheckClusterRole checks a ClusterRole create (old nil) or update by user.
// Setting or changing an aggregationRule takes every permission, since it
// can gather any.
func (e *Escalation) CheckClusterRole(ctx context.Context, user *authentication.User, role, old *rbacv1.ClusterRole) error {
	if e.escalationAllowed(ctx, user, "clusterroles", "", requestName(role.Name, old != nil)) {
		return nil
	}
	if old != nil {
		c := role.DeepCopy()
		keepGCFields(&c.ObjectMeta, &old.ObjectMeta)
		if equality.Semantic.DeepEqual(c, old) {
			return nil
		}
	}
	if err := e.ConfirmNoEscalation(ctx, user, role.Rules, ""); err != nil {
		return forbidden("clusterroles", role.Name, err)
	}
	if role.AggregationRule != nil || (old != nil && old.AggregationRule != nil) {
		if err := e.ConfirmNoEscalation(ctx, user, fullAuthority, ""); err != nil {
			return forbidden("clusterroles", role.Name, errors.New("must have cluster-admin privileges to use the aggregationRule"))
		}
	}
	return nil
}

// CheckRoleBinding checks a RoleBinding create (old nil) or update by user.
// A binding to a missing role fails with the role's NotFound.
func (e *Escalation) CheckRoleBinding(ctx context.Context, user *authentication.User, b, old *rbacv1.RoleBinding) error {
	if user.InGroup(authentication.SystemPrivilegedGroup) {
		return nil
	}
	if old != nil {
		c := b.DeepCopy()
		keepGCFields(&c.ObjectMeta, &old.ObjectMeta)
		if equality.Semantic.DeepEqual(c, old) {
			return nil
		}
	}
	return e.checkBinding(ctx, user, "rolebindings", b.Name, b.Namespace, b.RoleRef)
}

// CheckClusterRoleBinding checks a ClusterRoleBinding create (old nil) or
// update by user.
func (e *Escalation) CheckClusterRoleBinding(ctx context.Context, user *authentication.User, b, old *rbacv1.ClusterRoleBinding) error {
	if user.InGroup(authentication.SystemPrivilegedGroup) {
		return nil
	}
	if old != nil {
		c := b.DeepCopy()
		keepGCFields(&c.ObjectMeta, &old.ObjectMeta)
		if equality.Semantic.DeepEqual(c, old) {
			return nil
		}
	}
	return e.checkBinding(ctx, user, "clusterrolebindings", b.Name, "", b.RoleRef)
}

func (e *Escalation) checkBinding(ctx context.Context, user *authentication.User, resource, name, namespace string, ref rbacv1.RoleRef) error {
	if e.bindAuthorized(ctx, user, ref, namespace) {
		return nil
	}
	rules, err := e.resolver.roleRefRules(ctx, ref, namespace)
	if err != nil {
		return err
	}
	if err := e.ConfirmNoEscalation(ctx, user, rules, namespace); err != nil {
		return forbidden(resource, name, err)
	}
	return nil
}

// escalationAllowed: system:masters, or the "escalate" verb on the roles
// being written.
func (e *Escalation) escalationAllowed(ctx context.Context, user *authentication.User, resource, namespace, name string) bool {
	if user.InGroup(authentication.SystemPrivilegedGroup) {
		return true
	}
	if e.authz == nil || user == nil {
		return false
	}
	return e.allowed(ctx, authorization.Attributes{
		User: user, Verb: "escalate", ResourceRequest: true,
		APIGroup: rbacv1.GroupName, APIVersion: "*", Resource: resource, Namespace: namespace, Name: name,
	})
}

// bindAuthorized: the "bind" verb on the role referred to, in the binding's
// namespace ("" for a ClusterRoleBinding).
func (e *Escalation) bindAuthorized(ctx context.Context, user *authentication.User, ref rbacv1.RoleRef, namespace string) bool {
	if e.authz == nil || user == nil {
		return false
	}
	attrs := authorization.Attributes{User: user, Verb: "bind", ResourceRequest: true, Namespace: namespace, APIGroup: ref.APIGroup, Name: ref.Name}
	switch ref.Kind {
	case "ClusterRole":
		attrs.Resource = "clusterroles"
	case "Role":
		attrs.Resource = "roles"
	default:
		return false
	}
	return e.allowed(ctx, attrs)
}

func (e *Escalation) allowed(ctx context.Context, attrs authorization.Attributes) bool {
	d, _, err := e.authz.Authorize(ctx, attrs)
	if err != nil {
		e.logger.Info("error authorizing RBAC escalation", zap.String("user", attrs.User.Name),
			zap.String("verb", attrs.Verb), zap.String("resource", attrs.Resource), zap.String("name", attrs.Name), zap.Error(err))
	}
	return d == authorization.Allow
}

// requestName is the name the request's URL carries: none when creating.
func requestName(name string, update bool) string {
	if update {
		return name
	}
	return ""
}

// keepGCFields gives c the fields the garbage collector may change, from
// old: an update changing only those escalates nothing.
func keepGCFields(c, old *metav1.ObjectMeta) {
	c.OwnerReferences = old.OwnerReferences
	c.Finalizers = old.Finalizers
	c.SelfLink = old.SelfLink
	c.DeletionTimestamp = old.DeletionTimestamp
	c.DeletionGracePeriodSeconds = old.DeletionGracePeriodSeconds
}
