package rbac

import (
	"context"
	"fmt"

	"github.com/skiff-dev/skiff/apiserver/authentication"
	"github.com/skiff-dev/skiff/apiserver/authorization"
	"go.uber.org/zap"
	authorizationv1 "k8s.io/api/authorization/v1"
	rbacv1 "k8s.io/api/rbac/v1"
)

// Authorizer is the RBAC authorizer.
type Authorizer struct {
	logger   *zap.Logger
	resolver *resolver
}

var (
	_ authorization.Authorizer   = (*Authorizer)(nil)
	_ authorization.RuleResolver = (*Authorizer)(nil)
)

// New returns the RBAC authorizer reading src.
func New(logger *zap.Logger, src Source) *Authorizer {
	if logger == nil {
		logger = zap.NewNop()
	}
	return &Authorizer{logger: logger, resolver: &resolver{src: src}}
}

// Authorize allows a request some rule bound to the user covers, with the
// reason `RBAC: allowed by ClusterRoleBinding "x" of ClusterRole "y" to
// Group "z"`. Otherwise it has no opinion; the reason then lists what could
// not be read (a binding naming a missing role), as upstream:
// `RBAC: clusterrole.rbac.authorization.k8s.io "y" not found`.
func (a *Authorizer) Authorize(ctx context.Context, attrs authorization.Attributes) (authorization.Decision, string, error) {
	allowed := false
	reason := ""
	var errs []error
	a.resolver.visitRulesFor(ctx, attrs.User, attrs.Namespace, func(source fmt.Stringer, rule *rbacv1.PolicyRule, err error) bool {
		if rule != nil && RuleAllows(attrs, rule) {
			allowed = true
			reason = "RBAC: allowed by " + source.String()
			return false
		}
		if err != nil {
			errs = append(errs, err)
		}
		return true
	})
	if allowed {
		return authorization.Allow, reason, nil
	}
	if len(errs) > 0 {
		reason = fmt.Sprintf("RBAC: %v", authorization.JoinErrors(errs))
		a.logger.Debug("RBAC could not read every binding", zap.String("user", userName(attrs.User)), zap.String("reason", reason))
	}
	return authorization.NoOpinion, reason, nil
}

// RulesFor lists the rules bound to user in namespace (cluster-wide ones
// included) for SelfSubjectRulesReview, one entry per PolicyRule as
// upstream: a rule with resources becomes a resource rule, a rule with
// non-resource URLs a non-resource rule. Rules are never incomplete; a
// binding whose role is missing is reported in err beside the others.
func (a *Authorizer) RulesFor(ctx context.Context, user *authentication.User, namespace string) ([]authorizationv1.ResourceRule, []authorizationv1.NonResourceRule, bool, error) {
	rules, err := a.resolver.rulesFor(ctx, user, namespace)
	var res []authorizationv1.ResourceRule
	var nonRes []authorizationv1.NonResourceRule
	for _, r := range rules {
		if len(r.Resources) > 0 {
			res = append(res, authorizationv1.ResourceRule{
				Verbs: r.Verbs, APIGroups: r.APIGroups, Resources: r.Resources, ResourceNames: r.ResourceNames,
			})
		}
		if len(r.NonResourceURLs) > 0 {
			nonRes = append(nonRes, authorizationv1.NonResourceRule{Verbs: r.Verbs, NonResourceURLs: r.NonResourceURLs})
		}
	}
	return res, nonRes, false, err
}

// PolicyRules returns the RBAC rules bound to user in namespace, as they
// are written in the roles.
func (a *Authorizer) PolicyRules(ctx context.Context, user *authentication.User, namespace string) ([]rbacv1.PolicyRule, error) {
	return a.resolver.rulesFor(ctx, user, namespace)
}

func userName(u *authentication.User) string {
	if u == nil {
		return ""
	}
	return u.Name
}
