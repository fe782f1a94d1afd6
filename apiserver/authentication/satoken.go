package authentication

import (
	"context"
	"crypto"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	utilerrors "k8s.io/apimachinery/pkg/util/errors"

	"github.com/go-jose/go-jose/v4/jwt"
	"go.uber.org/zap"
	corev1 "k8s.io/api/core/v1"
)

// ServiceAccountGetter reads a service account, to check that a token's
// service account still exists with the UID the token names. Errors are
// passed to the client as they are, so return API errors
// (apierrors.NewNotFound).
type ServiceAccountGetter interface {
	GetServiceAccount(ctx context.Context, namespace, name string) (*corev1.ServiceAccount, error)
}

// PodGetter reads the pod a token is bound to.
type PodGetter interface {
	GetPod(ctx context.Context, namespace, name string) (*corev1.Pod, error)
}

// SecretGetter reads the secret a token is bound to (or, for a legacy
// token, kept in).
type SecretGetter interface {
	GetSecret(ctx context.Context, namespace, name string) (*corev1.Secret, error)
}

// NodeGetter reads the node a token is bound to.
type NodeGetter interface {
	GetNode(ctx context.Context, name string) (*corev1.Node, error)
}

// ObjectGetters read the objects tokens name. One value may implement all
// four; any left nil makes tokens that need it fail.
type ObjectGetters struct {
	ServiceAccounts ServiceAccountGetter
	Pods            PodGetter
	Secrets         SecretGetter
	Nodes           NodeGetter
}

// ServiceAccountTokenOptions configure NewServiceAccountTokens.
type ServiceAccountTokenOptions struct {
	// Keys verify signatures (--service-account-key-file).
	Keys []crypto.PublicKey
	// Issuers accepted for bound tokens (--service-account-issuer).
	Issuers []string
	// APIAudiences a token must be meant for unless the context asks for
	// others (--api-audiences, defaulting to the issuers).
	APIAudiences []string
	// Legacy accepts tokens of issuer "kubernetes/serviceaccount" kept in
	// Secrets; Lookup (--service-account-lookup) checks that the secret
	// still holds them.
	Legacy  bool
	Lookup  bool
	Getters ObjectGetters
	Metrics *Metrics
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// ServiceAccountTokens authenticates service-account JWTs: bound tokens
// (TokenRequest, projected volumes) and legacy Secret tokens.
type ServiceAccountTokens struct {
	logger  *zap.Logger
	opts    ServiceAccountTokenOptions
	keys    []verificationKey
	issuers map[string]bool
}

type verificationKey struct {
	id  string
	key crypto.PublicKey
}

// NewServiceAccountTokens returns the service-account token authenticator.
func NewServiceAccountTokens(logger *zap.Logger, opts ServiceAccountTokenOptions) (*ServiceAccountTokens, error) {
	if logger == nil {
		logger = zap.NewNop()
	}
	if len(opts.Keys) == 0 {
		return nil, errors.New("service account tokens: no verification keys")
	}
	if len(opts.Issuers) == 0 && !opts.Legacy {
		return nil, errors.New("service account tokens: no issuer")
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if len(opts.APIAudiences) == 0 {
		opts.APIAudiences = slices.Clone(opts.Issuers)
	}
	s := &ServiceAccountTokens{logger: logger, opts: opts, issuers: map[string]bool{}}
	for _, k := range opts.Keys {
		id, err := KeyID(k)
		if err != nil {
			return nil, fmt.Errorf("service account verification key: %w", err)
		}
		s.keys = append(s.keys, verificationKey{id: id, key: k})
	}
	for _, iss := range opts.Issuers {
		s.issuers[iss] = true
	}
	if opts.Legacy {
		s.issuers[LegacyIssuer] = true
	}
	return s, nil
}

// AuthenticateToken verifies a service-account token: a token of another
// issuer, or not a JWT, is not recognised; a recognised one with a bad
// signature, audience, lifetime or stale object is an error.
func (s *ServiceAccountTokens) AuthenticateToken(ctx context.Context, token string) (*User, bool, error) {
	if !s.issuers[peekIssuer(token)] {
		return nil, false, nil
	}
	tok, err := jwt.ParseSigned(token, acceptedAlgorithms)
	if err != nil {
		return nil, false, nil
	}
	public := &jwt.Claims{}
	private := &privateClaims{}
	if err := s.verify(tok, public, private); err != nil {
		return nil, false, err
	}
	legacy := s.opts.Legacy && public.Issuer == LegacyIssuer && private.Kubernetes == nil
	if !legacy && !slices.Contains(s.opts.Issuers, public.Issuer) {
		return nil, false, fmt.Errorf("token issuer %q is invalid", public.Issuer)
	}

	tokenAuds := []string(public.Audience)
	if len(tokenAuds) == 0 {
		s.opts.Metrics.inc(legacyTokens)
		tokenAuds = s.opts.APIAudiences
	}
	requested, asked := audiencesFrom(ctx)
	if !asked {
		requested = s.opts.APIAudiences
	}
	auds := intersect(tokenAuds, requested)
	if len(auds) == 0 && len(s.opts.APIAudiences) != 0 {
		return nil, false, fmt.Errorf("token audiences %q is invalid for the target audiences %q", tokenAuds, requested)
	}

	var u *User
	if legacy {
		u, err = s.validateLegacy(ctx, token, public, private)
	} else {
		u, err = s.validateBound(ctx, public, private)
	}
	if err != nil {
		return nil, false, err
	}
	u.audiences = auds
	return u, true, nil
}

// verify checks the signature with the keys whose id the token names, then
// with the others.
func (s *ServiceAccountTokens) verify(tok *jwt.JSONWebToken, dest ...any) error {
	kid := ""
	if len(tok.Headers) > 0 {
		kid = tok.Headers[0].KeyID
	}
	ordered := make([]verificationKey, 0, len(s.keys))
	for _, k := range s.keys {
		if k.id == kid {
			ordered = append(ordered, k)
		}
	}
	for _, k := range s.keys {
		if k.id != kid {
			ordered = append(ordered, k)
		}
	}
	var errs []error
	for _, k := range ordered {
		err := tok.Claims(k.key, dest...)
		if err == nil {
			return nil
		}
		errs = append(errs, err)
	}
	return utilerrors.NewAggregate(errs)
}

// peekIssuer reads the unverified "iss" of a compact JWT, to decide whether
// the token is ours to check.
func peekIssuer(token string) string {
	if strings.HasPrefix(strings.TrimSpace(token), "{") {
		return ""
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return ""
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return ""
	}
	var c struct {
		Issuer string `json:"iss"`
	}
	if json.Unmarshal(payload, &c) != nil {
		return ""
	}
	return c.Issuer
}
