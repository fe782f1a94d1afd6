package authentication

import (
	"context"
	"net/http"
	"slices"
)

// Well-known user and group names (upstream's k8s.io/apiserver user package).
const (
	SystemPrivilegedGroup = "system:masters"
	NodesGroup            = "system:nodes"
	MonitoringGroup       = "system:monitoring"
	AllUnauthenticated    = "system:unauthenticated"
	AllAuthenticated      = "system:authenticated"

	Anonymous             = "system:anonymous"
	APIServerUser         = "system:apiserver"
	KubeProxy             = "system:kube-proxy"
	KubeControllerManager = "system:kube-controller-manager"
	KubeScheduler         = "system:kube-scheduler"
)

// User is who a request comes from.
type User struct {
	Name   string
	UID    string
	Groups []string
	Extra  map[string][]string

	// audiences the credential was accepted for (service-account tokens and
	// audience-agnostic authenticators asked about audiences); read by
	// ReviewToken.
	audiences []string
}

// Audiences returns the audiences the credential was accepted for, when the
// authenticator knows them.
func (u *User) Audiences() []string { return u.audiences }

// InGroup says whether the user is a member of group.
func (u *User) InGroup(group string) bool {
	return u != nil && slices.Contains(u.Groups, group)
}

// copyUser returns a copy whose slices and map may be changed freely.
func (u *User) copyUser() *User {
	c := *u
	c.Groups = slices.Clone(u.Groups)
	c.audiences = slices.Clone(u.audiences)
	if u.Extra != nil {
		c.Extra = make(map[string][]string, len(u.Extra))
		for k, v := range u.Extra {
			c.Extra[k] = slices.Clone(v)
		}
	}
	return &c
}

// Authenticator tells who sent a request. ok=false with a nil error: the
// request carries no credential this authenticator recognises. A non-nil
// error: the credential was recognised but is not valid (the request is
// answered 401).
type Authenticator interface {
	AuthenticateRequest(r *http.Request) (u *User, ok bool, err error)
}

// AuthenticatorFunc adapts a function to Authenticator.
type AuthenticatorFunc func(r *http.Request) (*User, bool, error)

// AuthenticateRequest calls f.
func (f AuthenticatorFunc) AuthenticateRequest(r *http.Request) (*User, bool, error) { return f(r) }

// TokenAuthenticator tells whose a bearer token is, with the same meaning of
// ok and err as Authenticator.
type TokenAuthenticator interface {
	AuthenticateToken(ctx context.Context, token string) (u *User, ok bool, err error)
}

// TokenAuthenticatorFunc adapts a function to TokenAuthenticator.
type TokenAuthenticatorFunc func(ctx context.Context, token string) (*User, bool, error)

// AuthenticateToken calls f.
func (f TokenAuthenticatorFunc) AuthenticateToken(ctx context.Context, token string) (*User, bool, error) {
	return f(ctx, token)
}

type userKey struct{}

// WithUser returns ctx carrying u, in place of the user WithAuthentication
// found.
func WithUser(ctx context.Context, u *User) context.Context {
	return context.WithValue(ctx, userKey{}, u)
}

// UserFrom returns the user ctx carries: given by WithUser, or found by
// WithAuthentication.
func UserFrom(ctx context.Context) (*User, bool) {
	if u, ok := ctx.Value(userKey{}).(*User); ok {
		return u, u != nil
	}
	if st, ok := ctx.Value(requestAuthKey{}).(*requestAuth); ok && st.user != nil {
		return st.user, true
	}
	return nil, false
}
