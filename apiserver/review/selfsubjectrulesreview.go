package review

import (
	"context"
	"fmt"

	authorizationv1 "k8s.io/api/authorization/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/skiff-dev/skiff/apiserver/authentication"
	"github.com/skiff-dev/skiff/apiserver/authorization"
)

// SelfSubjectRulesReview answers authorization.k8s.io/v1
// SelfSubjectRulesReview (kubectl auth can-i --list): the rules the
// requesting user holds in spec.namespace, incomplete when an authorizer
// cannot list its own.
type SelfSubjectRulesReview struct{ rules authorization.RuleResolver }

// NewSelfSubjectRulesReview returns the SelfSubjectRulesReview creator
// over the apiserver's rule resolver.
func NewSelfSubjectRulesReview(rules authorization.RuleResolver) *SelfSubjectRulesReview {
	return &SelfSubjectRulesReview{rules: rules}
}

// New returns an empty SelfSubjectRulesReview.
func (*SelfSubjectRulesReview) New() runtime.Object {
	return &authorizationv1.SelfSubjectRulesReview{}
}

// Create lists the rules of the user of ctx. As upstream, the answer
// carries the status only.
func (s *SelfSubjectRulesReview) Create(ctx context.Context, namespace string, obj runtime.Object, _ bool) (runtime.Object, error) {
	review, ok := obj.(*authorizationv1.SelfSubjectRulesReview)
	if !ok {
		return nil, apierrors.NewBadRequest(fmt.Sprintf("not a SelfSubjectRulesReview: %T", obj))
	}
	if namespace != "" {
		return nil, notServed()
	}
	user, ok := authentication.UserFrom(ctx)
	if !ok {
		return nil, apierrors.NewBadRequest("no user present on request")
	}
	status, err := authorization.ReviewRules(ctx, s.rules, user, review.Spec.Namespace)
	if err != nil {
		return nil, err
	}
	return &authorizationv1.SelfSubjectRulesReview{
		TypeMeta: metav1.TypeMeta{APIVersion: authorizationv1.SchemeGroupVersion.String(), Kind: "SelfSubjectRulesReview"},
		Status:   status,
	}, nil
}
