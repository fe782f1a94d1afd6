package authorization

import (
	"context"

	"github.com/skiff-dev/skiff/apiserver/authentication"
	authorizationv1 "k8s.io/api/authorization/v1"
)

// AlwaysAllow allows everything (--authorization-mode=AlwaysAllow).
type AlwaysAllow struct{}

// Authorize allows.
func (AlwaysAllow) Authorize(context.Context, Attributes) (Decision, string, error) {
	return Allow, "", nil
}

// RulesFor lists every verb on everything.
func (AlwaysAllow) RulesFor(context.Context, *authentication.User, string) ([]authorizationv1.ResourceRule, []authorizationv1.NonResourceRule, bool, error) {
	return []authorizationv1.ResourceRule{{Verbs: []string{"*"}, APIGroups: []string{"*"}, Resources: []string{"*"}}},
		[]authorizationv1.NonResourceRule{{Verbs: []string{"*"}, NonResourceURLs: []string{"*"}}}, false, nil
}

// AlwaysDeny has no opinion on anything, with the reason "Everything is
// forbidden." (--authorization-mode=AlwaysDeny; like upstream it answers
// NoOpinion, so a later mode may still allow).
type AlwaysDeny struct{}

// Authorize says NoOpinion.
func (AlwaysDeny) Authorize(context.Context, Attributes) (Decision, string, error) {
	return NoOpinion, "Everything is forbidden.", nil
}

// RulesFor lists nothing.
func (AlwaysDeny) RulesFor(context.Context, *authentication.User, string) ([]authorizationv1.ResourceRule, []authorizationv1.NonResourceRule, bool, error) {
	return nil, nil, false, nil
}

// PrivilegedGroups allows every request of a member of one of its groups
// and has no opinion on the others: the system:masters short-circuit that
// upstream puts before every mode.
type PrivilegedGroups []string

// Authorize allows members.
func (p PrivilegedGroups) Authorize(_ context.Context, a Attributes) (Decision, string, error) {
	for _, g := range p {
		if a.User.InGroup(g) {
			return Allow, "", nil
		}
	}
	return NoOpinion, "", nil
}
