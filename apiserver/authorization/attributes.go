package authorization

import (
	"context"

	"github.com/skiff-dev/skiff/apiserver/authentication"
	authorizationv1 "k8s.io/api/authorization/v1"
)

// Attributes describe what a request asks to do.
type Attributes struct {
	User *authentication.User
	// Verb is the API verb (get, list, watch, create, update, patch,
	// delete, deletecollection, or a special one such as impersonate, bind,
	// escalate) for resource requests, the lower-case HTTP method for the
	// others.
	Verb string

	// ResourceRequest is true for requests to an API resource; the fields
	// below then name it.
	ResourceRequest bool
	Namespace       string
	APIGroup        string
	APIVersion      string
	Resource        string
	Subresource     string
	Name            string

	// Path is the URL path of a non-resource request.
	Path string
}

// Decision is what an authorizer says.
type Decision int

const (
	// Deny: the request is forbidden, whatever later authorizers say.
	Deny Decision = iota
	// Allow: the request is allowed.
	Allow
	// NoOpinion: ask the next authorizer; forbidden when none allows.
	NoOpinion
)

func (d Decision) String() string {
	switch d {
	case Deny:
		return "Deny"
	case Allow:
		return "Allow"
	case NoOpinion:
		return "NoOpinion"
	}
	return "Unknown"
}

// Authorizer decides a request. The reason explains an Allow or Deny (and
// is appended to the Forbidden message); err reports a failure to decide
// (the decision still counts).
type Authorizer interface {
	Authorize(ctx context.Context, a Attributes) (Decision, string, error)
}

// AuthorizerFunc adapts a function to Authorizer.
type AuthorizerFunc func(ctx context.Context, a Attributes) (Decision, string, error)

// Authorize calls f.
func (f AuthorizerFunc) Authorize(ctx context.Context, a Attributes) (Decision, string, error) {
	return f(ctx, a)
}

// RuleResolver lists what a user may do in a namespace (SelfSubjectRulesReview,
// kubectl auth can-i --list). incomplete says some authorizer could not
// list its rules.
type RuleResolver interface {
	RulesFor(ctx context.Context, user *authentication.User, namespace string) (
		resourceRules []authorizationv1.ResourceRule, nonResourceRules []authorizationv1.NonResourceRule, incomplete bool, err error)
}
