package authentication

import (
	"context"
	"net/http"
	"slices"

	utilerrors "k8s.io/apimachinery/pkg/util/errors"
)

// Union tries each authenticator in order: the first that authenticates the
// request decides. An authenticator's error does not stop the others (a bad
// client certificate with a good bearer token authenticates, as upstream);
// when none authenticates, the errors are joined.
func Union(authenticators ...Authenticator) Authenticator {
	return AuthenticatorFunc(func(r *http.Request) (*User, bool, error) {
		var errs []error
		for _, a := range authenticators {
			u, ok, err := a.AuthenticateRequest(r)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			if ok {
				return u, true, nil
			}
		}
		return nil, false, utilerrors.NewAggregate(errs)
	})
}

// TokenUnion is Union for token authenticators.
func TokenUnion(authenticators ...TokenAuthenticator) TokenAuthenticator {
	return TokenAuthenticatorFunc(func(ctx context.Context, token string) (*User, bool, error) {
		var errs []error
		for _, a := range authenticators {
			u, ok, err := a.AuthenticateToken(ctx, token)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			if ok {
				return u, true, nil
			}
		}
		return nil, false, utilerrors.NewAggregate(errs)
	})
}

// WithAuthenticatedGroup adds group system:authenticated to every user a
// authenticates, except system:anonymous and users already in
// system:authenticated or system:unauthenticated.
func WithAuthenticatedGroup(a Authenticator) Authenticator {
	return AuthenticatorFunc(func(r *http.Request) (*User, bool, error) {
		u, ok, err := a.AuthenticateRequest(r)
		if err != nil || !ok || u == nil {
			return nil, false, err
		}
		if u.Name == Anonymous || slices.Contains(u.Groups, AllAuthenticated) || slices.Contains(u.Groups, AllUnauthenticated) {
			return u, true, nil
		}
		u = u.copyUser()
		u.Groups = append(u.Groups, AllAuthenticated)
		return u, true, nil
	})
}

// WithAnonymous answers system:anonymous (group system:unauthenticated) when
// a neither authenticates the request nor fails: a request that presented a
// credential the chain rejected stays rejected.
func WithAnonymous(a Authenticator) Authenticator {
	return AuthenticatorFunc(func(r *http.Request) (*User, bool, error) {
		u, ok, err := a.AuthenticateRequest(r)
		if err != nil || ok {
			return u, ok, err
		}
		return AnonymousUser(), true, nil
	})
}

// AnonymousUser is the user of requests that present no credential.
func AnonymousUser() *User {
	return &User{Name: Anonymous, Groups: []string{AllUnauthenticated}}
}
