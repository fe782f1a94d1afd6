package authentication

import (
	"fmt"
	"net/http"
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
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		if len(apiAudiences) > 0 {
			r = r.WithContext(WithAudiences(r.Context(), apiAudiences))
		}
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
		next.ServeHTTP(w, r.WithContext(WithUser(r.Context(), u)))
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
