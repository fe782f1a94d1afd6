package authorization

import (
	"context"
	"strings"

	"github.com/skiff-dev/skiff/apiserver/authentication"
	authorizationv1 "k8s.io/api/authorization/v1"
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

// JoinErrors joins errors as upstream's utilerrors.Aggregate prints them:
// one error as itself, several as "[a, b]" with repeated messages once; nil
// when there are none. The text reaches clients (in Forbidden messages and
// SelfSubjectRulesReview's evaluationError).
func JoinErrors(errs []error) error {
	var agg aggregate
	for _, e := range errs {
		if e != nil {
			agg = append(agg, e)
		}
	}
	if len(agg) == 0 {
		return nil
	}
	return agg
}

type aggregate []error

func (a aggregate) Error() string {
	if len(a) == 1 {
		return a[0].Error()
	}
	seen := map[string]bool{}
	var msgs []string
	for _, e := range a {
		if m := e.Error(); !seen[m] {
			seen[m] = true
			msgs = append(msgs, m)
		}
	}
	if len(msgs) == 1 {
		return msgs[0]
	}
	return "[" + strings.Join(msgs, ", ") + "]"
}

func (a aggregate) Unwrap() []error { return a }
