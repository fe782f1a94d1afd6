package filters

import (
	"net/http"

	apierrors "k8s.io/apimachinery/pkg/api/errors"

	"github.com/skiff-dev/skiff/apiserver/authentication"
	"github.com/skiff-dev/skiff/apiserver/authorization"
	"github.com/skiff-dev/skiff/apiserver/endpoints"
)

// WithAuthorization asks z whether the authenticated user may do what the
// request asks; a refusal is upstream's 403 Status.
func WithAuthorization(z authorization.Authorizer, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info, _ := endpoints.RequestInfoFrom(r.Context())
		user, _ := authentication.UserFrom(r.Context())
		if info == nil || user == nil {
			endpoints.WriteStatusError(w, apierrors.NewInternalError(errNoUser))
			return
		}
		if err := authorization.Check(r.Context(), z, Attributes(user, info)); err != nil {
			endpoints.WriteStatusError(w, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// Attributes describes a request for authorization.
func Attributes(user *authentication.User, info *endpoints.RequestInfo) authorization.Attributes {
	return authorization.Attributes{
		User: user, Verb: info.Verb, ResourceRequest: info.IsResourceRequest,
		Namespace: info.Namespace, APIGroup: info.APIGroup, APIVersion: info.APIVersion,
		Resource: info.Resource, Subresource: info.Subresource, Name: info.Name, Path: info.Path,
	}
}

type errString string

func (e errString) Error() string { return string(e) }

const errNoUser = errString("no user or request info in the request context")
