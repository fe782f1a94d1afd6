package authorization

import (
	"context"
	"strings"

	utilerrors "k8s.io/apimachinery/pkg/util/errors"

	authorizationv1 "k8s.io/api/authorization/v1"

	"github.com/skiff-dev/skiff/apiserver/authentication"
)

// Union asks its authorizers in order; the first Allow or Deny decides.
// When all have no opinion, their reasons are joined by newlines.
type Union []Authorizer

// Authorize asks each authorizer in turn.
func (u Union) Authorize(ctx context.Context, a Attributes) (Decision, string, error) {
	var reasons []string
	var errs []error
	for _, z := range u {
		d, reason, err := z.Authorize(ctx, a)
		if err != nil {
			errs = append(errs, err)
		}
		if reason != "" {
			reasons = append(reasons, reason)
		}
		if d == Allow || d == Deny {
			return d, reason, err
		}
	}
	return NoOpinion, strings.Join(reasons, "\n"), JoinErrors(errs)
}

// RulesFor concatenates the rules of the authorizers that can list theirs;
// incomplete when any says so.
func (u Union) RulesFor(ctx context.Context, user *authentication.User, namespace string) ([]authorizationv1.ResourceRule, []authorizationv1.NonResourceRule, bool, error) {
	var (
		res        []authorizationv1.ResourceRule
		nonRes     []authorizationv1.NonResourceRule
		incomplete bool
		errs       []error
	)
	for _, z := range u {
		r, ok := z.(RuleResolver)
		if !ok {
			continue
		}
		rr, nr, inc, err := r.RulesFor(ctx, user, namespace)
		incomplete = incomplete || inc
		if err != nil {
			errs = append(errs, err)
		}
		res = append(res, rr...)
		nonRes = append(nonRes, nr...)
	}
	return res, nonRes, incomplete, JoinErrors(errs)
}

// JoinErrors joins errors with upstream's utilerrors.Aggregate: one error
// as itself, several as "[a, b]" with repeated messages once; nil when
// there are none. The text reaches clients (in Forbidden messages and
// SelfSubjectRulesReview's evaluationError).
func JoinErrors(errs []error) error { return utilerrors.NewAggregate(errs) }
