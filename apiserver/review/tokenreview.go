package review

import (
	"context"
	"fmt"

	authenticationv1 "k8s.io/api/authentication/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/skiff-dev/skiff/apiserver/authentication"
)

// TokenReview answers authentication.k8s.io/v1 TokenReview: the token is
// run through the apiserver's authentication chain for spec.audiences (or
// the API audiences), and the status says whose it is.
type TokenReview struct {
	auth      authentication.Authenticator
	audiences []string
}

// NewTokenReview returns the TokenReview creator over auth.
func NewTokenReview(auth authentication.Authenticator, apiAudiences []string) *TokenReview {
	return &TokenReview{auth: auth, audiences: apiAudiences}
}

// New returns an empty TokenReview.
func (*TokenReview) New() runtime.Object { return &authenticationv1.TokenReview{} }

// Create reviews the token.
func (t *TokenReview) Create(ctx context.Context, namespace string, obj runtime.Object, _ bool) (runtime.Object, error) {
	review, ok := obj.(*authenticationv1.TokenReview)
	if !ok {
		return nil, apierrors.NewBadRequest(fmt.Sprintf("not a TokenReview: %T", obj))
	}
	if namespace != "" {
		return nil, notServed()
	}
	if err := prepareMeta(&review.ObjectMeta, ""); err != nil {
		return nil, err
	}
	if review.Spec.Token == "" {
		return nil, apierrors.NewBadRequest("token is required for TokenReview in authentication.k8s.io")
	}
	if t.auth == nil {
		return review, nil
	}
	if err := authentication.ReviewToken(ctx, t.auth, t.audiences, review); err != nil {
		return nil, err
	}
	return review, nil
}
