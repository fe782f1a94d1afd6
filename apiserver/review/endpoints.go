package review

import (
	"context"
	"reflect"

	authenticationv1 "k8s.io/api/authentication/v1"
	authorizationv1 "k8s.io/api/authorization/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/skiff-dev/skiff/apiserver/authentication"
	"github.com/skiff-dev/skiff/apiserver/authorization"
	"github.com/skiff-dev/skiff/apiserver/endpoints"
)

// Config is what the reviews ask.
type Config struct {
	// Authenticator is the apiserver's authentication chain (TokenReview);
	// nil answers every TokenReview unauthenticated.
	Authenticator authentication.Authenticator
	// APIAudiences are the audiences of a TokenReview that names none.
	APIAudiences []string
	// Authorizer is the apiserver's authorization chain (access reviews).
	Authorizer authorization.Authorizer
	// Rules lists a user's rules (SelfSubjectRulesReview); the chain
	// authorization.Chain builds is one.
	Rules authorization.RuleResolver
}

// Endpoint is one review resource.
type Endpoint struct {
	GVR          schema.GroupVersionResource
	Kind         string
	SingularName string
	Namespaced   bool
	// GoType is the kind's type (for OpenAPI).
	GoType  reflect.Type
	Creator endpoints.Creator
}

// GroupVersionKind is the kind the resource takes and answers.
func (e Endpoint) GroupVersionKind() schema.GroupVersionKind {
	return e.GVR.GroupVersion().WithKind(e.Kind)
}

// Endpoints returns the review resources of cfg: all six, always (an
// absent Authorizer has no opinion on anything, absent Rules list nothing
// and say so with incomplete).
func Endpoints(cfg Config) []Endpoint {
	if cfg.Authorizer == nil {
		cfg.Authorizer = noOpinion{}
	}
	if cfg.Rules == nil {
		cfg.Rules = noRules{}
	}
	authn := authenticationv1.SchemeGroupVersion
	authz := authorizationv1.SchemeGroupVersion
	return []Endpoint{
		{GVR: authn.WithResource("tokenreviews"), Kind: "TokenReview", SingularName: "tokenreview",
			GoType: reflect.TypeOf(authenticationv1.TokenReview{}), Creator: NewTokenReview(cfg.Authenticator, cfg.APIAudiences)},
		{GVR: authn.WithResource("selfsubjectreviews"), Kind: "SelfSubjectReview", SingularName: "selfsubjectreview",
			GoType: reflect.TypeOf(authenticationv1.SelfSubjectReview{}), Creator: SelfSubjectReview{}},
		{GVR: authz.WithResource("subjectaccessreviews"), Kind: "SubjectAccessReview", SingularName: "subjectaccessreview",
			GoType: reflect.TypeOf(authorizationv1.SubjectAccessReview{}), Creator: NewSubjectAccessReview(cfg.Authorizer)},
		{GVR: authz.WithResource("localsubjectaccessreviews"), Kind: "LocalSubjectAccessReview", SingularName: "localsubjectaccessreview",
			Namespaced: true, GoType: reflect.TypeOf(authorizationv1.LocalSubjectAccessReview{}), Creator: NewLocalSubjectAccessReview(cfg.Authorizer)},
		{GVR: authz.WithResource("selfsubjectaccessreviews"), Kind: "SelfSubjectAccessReview", SingularName: "selfsubjectaccessreview",
			GoType: reflect.TypeOf(authorizationv1.SelfSubjectAccessReview{}), Creator: NewSelfSubjectAccessReview(cfg.Authorizer)},
		{GVR: authz.WithResource("selfsubjectrulesreviews"), Kind: "SelfSubjectRulesReview", SingularName: "selfsubjectrulesreview",
			GoType: reflect.TypeOf(authorizationv1.SelfSubjectRulesReview{}), Creator: NewSelfSubjectRulesReview(cfg.Rules)},
	}
}

// noOpinion decides nothing.
type noOpinion struct{}

func (noOpinion) Authorize(context.Context, authorization.Attributes) (authorization.Decision, string, error) {
	return authorization.NoOpinion, "", nil
}

// noRules lists nothing, incompletely.
type noRules struct{}

func (noRules) RulesFor(context.Context, *authentication.User, string) ([]authorizationv1.ResourceRule, []authorizationv1.NonResourceRule, bool, error) {
	return nil, nil, true, nil
}
