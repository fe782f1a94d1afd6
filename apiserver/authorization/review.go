package authorization

import (
	"context"
	"slices"

	"github.com/skiff-dev/skiff/apiserver/authentication"
	authorizationv1 "k8s.io/api/authorization/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
)

// ReviewUser is the user a SubjectAccessReview asks about.
func ReviewUser(spec authorizationv1.SubjectAccessReviewSpec) *authentication.User {
	u := &authentication.User{Name: spec.User, UID: spec.UID, Groups: slices.Clone(spec.Groups)}
	if len(spec.Extra) > 0 {
		u.Extra = make(map[string][]string, len(spec.Extra))
		for k, v := range spec.Extra {
			u.Extra[k] = slices.Clone(v)
		}
	}
	return u
}

// ReviewAttributes are the attributes a (Self|Local)SubjectAccessReview asks
// about for user, as upstream builds them: a resource request when
// resourceAttributes is set (an empty version matching every version, "*"),
// a non-resource request otherwise.
func ReviewAttributes(user *authentication.User, res *authorizationv1.ResourceAttributes, nonRes *authorizationv1.NonResourceAttributes) Attributes {
	if res != nil {
		version := res.Version
		if version == "" {
			version = "*"
		}
		return Attributes{
			User: user, Verb: res.Verb, ResourceRequest: true, Namespace: res.Namespace,
			APIGroup: res.Group, APIVersion: version, Resource: res.Resource, Subresource: res.Subresource, Name: res.Name,
		}
	}
	a := Attributes{User: user}
	if nonRes != nil {
		a.Verb, a.Path = nonRes.Verb, nonRes.Path
	}
	return a
}

// ReviewAccess decides attrs and words the answer as an access review's
// status: allowed, denied (an explicit Deny), the reason, and the
// evaluation error.
func ReviewAccess(ctx context.Context, a Authorizer, attrs Attributes) authorizationv1.SubjectAccessReviewStatus {
	d, reason, err := a.Authorize(ctx, attrs)
	status := authorizationv1.SubjectAccessReviewStatus{Allowed: d == Allow, Denied: d == Deny, Reason: reason}
	if err != nil {
		status.EvaluationError = err.Error()
	}
	return status
}

// ReviewRules answers a SelfSubjectRulesReview for user in namespace
// (BadRequest without one, as upstream). The rule lists are empty, never
// null.
func ReviewRules(ctx context.Context, r RuleResolver, user *authentication.User, namespace string) (authorizationv1.SubjectRulesReviewStatus, error) {
	if namespace == "" {
		return authorizationv1.SubjectRulesReviewStatus{}, apierrors.NewBadRequest("no namespace on request")
	}
	res, nonRes, incomplete, err := r.RulesFor(ctx, user, namespace)
	status := authorizationv1.SubjectRulesReviewStatus{
		ResourceRules:    append([]authorizationv1.ResourceRule{}, res...),
		NonResourceRules: append([]authorizationv1.NonResourceRule{}, nonRes...),
		Incomplete:       incomplete,
	}
	if err != nil {
		status.EvaluationError = err.Error()
	}
	return status, nil
}
