package authentication

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"time"

	"go.uber.org/zap"
)

// WithAuthentication is the HTTP filter that authenticates every request
// with auth before next sees it, as upstream's: the request's context asks
// for apiAudiences; on success the user goes into the context (UserFrom)
// and the Authorization header is removed; on failure failed answers (nil:
// WriteUnauthorized) and the error is logged. Attempts are counted in m
// (may be nil).
func WithAuthentication(logger *zap.Logger, next http.Handler, auth Authenticator, failed http.Handler, apiAudiences []string, m *Metrics) http.Handler {
	if logger == nil {
		logger = zap.NewNop()
	}
	if failed == nil {
		failed = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { WriteUnauthorized(w) })
	}
	auds := slices.Clone(apiAudiences) // read-only from here on
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		// One context for both what authenticators are asked (the
		// audiences) and what they found (the user, set below): a request
		// copy fewer than one context each.
		st := &requestAuth{audiences: auds}
		r = r.WithContext(context.WithValue(r.Context(), requestAuthKey{}, st))
		u, ok, err := auth.AuthenticateRequest(r)
		elapsed := time.Since(start).Seconds()
		if err == nil && ok && !audiencesAcceptable(apiAudiences, u.audiences) {
			err = errAudienceMismatch(u.audiences, apiAudiences)
		}
		switch {
		case err != nil:
			m.observeAttempt("error", nil, elapsed)
			logger.Info("unable to authenticate the request", zap.String("path", r.URL.Path), zap.Error(err))
			failed.ServeHTTP(w, r)
			return
		case !ok || u == nil:
			m.observeAttempt("failure", nil, elapsed)
			failed.ServeHTTP(w, r)
			return
		}
		m.observeAttempt("success", u, elapsed)
		r.Header.Del("Authorization")
		st.user = u
		next.ServeHTTP(w, r)
	})
}

func audiencesAcceptable(apiAudiences, userAudiences []string) bool {
	if len(apiAudiences) == 0 || len(userAudiences) == 0 {
		return true
	}
	return len(intersect(apiAudiences, userAudiences)) > 0
}

func errAudienceMismatch(got, accepted []string) error {
	return fmt.Errorf("unable to match the audience: %v , accepted: %v", got, accepted)
}

// requestAuth is what WithAuthentication keeps in a request's context: the
// audiences the authenticators must accept (none: any of the apiserver's)
// and, once authenticated, the user.
type requestAuth struct {
	audiences []string
	user      *User
}

type requestAuthKey struct{}
