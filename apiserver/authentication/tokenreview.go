package authentication

import (
	"context"
	"errors"
	"net/http"
	"slices"

	authenticationv1 "k8s.io/api/authentication/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
)

// ReviewToken answers a TokenReview (authentication.k8s.io/v1) as
// upstream's registry does: the token is authenticated by auth (the
// apiserver's whole chain) as if presented in an Authorization header, for
// spec.audiences or else apiAudiences, and review.Status is filled in. A
// review without a token is a BadRequest; an authenticator answering for
// none of the audiences asked is an InternalError. The caller checks that
// the request has no namespace.
func ReviewToken(ctx context.Context, auth Authenticator, apiAudiences []string, review *authenticationv1.TokenReview) error {
	if review.Spec.Token == "" {
		return apierrors.NewBadRequest("token is required for TokenReview in authentication")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "/", nil)
	if err != nil {
		return apierrors.NewInternalError(err)
	}
	req.Header.Set("Authorization", "Bearer "+review.Spec.Token)
	auds := review.Spec.Audiences
	if len(auds) == 0 {
		auds = apiAudiences
	}
	if len(auds) > 0 {
		req = req.WithContext(WithAudiences(ctx, auds))
	}

	u, ok, err := auth.AuthenticateRequest(req)
	review.Status = authenticationv1.TokenReviewStatus{Authenticated: ok}
	if err != nil {
		review.Status.Error = err.Error()
	}
	if !ok || u == nil {
		return nil
	}
	if len(auds) > 0 && len(intersect(auds, u.audiences)) == 0 {
		return apierrors.NewInternalError(errors.New("error validating audiences"))
	}
	review.Status.User = authenticationv1.UserInfo{
		Username: u.Name,
		UID:      u.UID,
		Groups:   slices.Clone(u.Groups),
		Extra:    map[string]authenticationv1.ExtraValue{},
	}
	for k, v := range u.Extra {
		review.Status.User.Extra[k] = authenticationv1.ExtraValue(slices.Clone(v))
	}
	review.Status.Audiences = slices.Clone(u.audiences)
	return nil
}
