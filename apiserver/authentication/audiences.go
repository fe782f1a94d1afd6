package authentication

import (
	"context"
	"fmt"
	"slices"
)

type audiencesKey struct{}

// WithAudiences returns ctx asking authenticators to accept only credentials
// meant for one of auds (TokenReview's spec.audiences). Without it a
// service-account token must be meant for one of the apiserver's own
// audiences (--api-audiences).
func WithAudiences(ctx context.Context, auds []string) context.Context {
	return context.WithValue(ctx, audiencesKey{}, slices.Clone(auds))
}

func audiencesFrom(ctx context.Context) ([]string, bool) {
	if auds, ok := ctx.Value(audiencesKey{}).([]string); ok {
		return auds, true
	}
	if st, ok := ctx.Value(requestAuthKey{}).(*requestAuth); ok && len(st.audiences) > 0 {
		return st.audiences, true
	}
	return nil, false
}

// intersect returns the members of a also in b, in a's order.
func intersect(a, b []string) []string {
	var out []string
	for _, x := range a {
		if slices.Contains(b, x) && !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// AudienceAgnostic wraps a token authenticator whose tokens carry no
// audience (static tokens): such tokens count as meant for implicit (the
// apiserver's audiences), so when the context asks for other audiences they
// are not recognised, as upstream's WrapAudienceAgnosticToken does.
func AudienceAgnostic(implicit []string, t TokenAuthenticator) TokenAuthenticator {
	return TokenAuthenticatorFunc(func(ctx context.Context, token string) (*User, bool, error) {
		target, asked := audiencesFrom(ctx)
		if !asked {
			return t.AuthenticateToken(ctx, token)
		}
		auds := intersect(implicit, target)
		if len(auds) == 0 {
			return nil, false, nil
		}
		u, ok, err := t.AuthenticateToken(ctx, token)
		if err != nil || !ok {
			return nil, false, err
		}
		if len(u.audiences) > 0 {
			return nil, false, fmt.Errorf("audience agnostic authenticator wrapped an authenticator that returned audiences: %q", u.audiences)
		}
		u = u.copyUser()
		u.audiences = auds
		return u, true, nil
	})
}
