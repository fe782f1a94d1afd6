package authentication

import (
	"crypto"
	"crypto/rand"
	"errors"
	"fmt"
	"slices"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	corev1 "k8s.io/api/core/v1"
)

// Issuer signs bound service-account tokens (the TokenRequest API,
// serviceaccounts/token) with --service-account-signing-key-file, as issuer
// --service-account-issuer (the first one). The tokens are those upstream
// issues: header {alg, kid}, kid being KeyID of the public key, so upstream
// verifiers accept them.
type Issuer struct {
	issuer string
	keyID  string
	signer jose.Signer
	now    func() time.Time
}

// NewIssuer returns an issuer signing with key (RSA or ECDSA P-256, P-384,
// P-521).
func NewIssuer(issuer string, key crypto.Signer) (*Issuer, error) {
	if issuer == "" {
		return nil, errors.New("token issuer: empty issuer")
	}
	if key == nil {
		return nil, errors.New("token issuer: no signing key")
	}
	alg, err := signingAlgorithm(key.Public())
	if err != nil {
		return nil, fmt.Errorf("token issuer: %w", err)
	}
	kid, err := KeyID(key.Public())
	if err != nil {
		return nil, fmt.Errorf("token issuer: %w", err)
	}
	signer, err := jose.NewSigner(jose.SigningKey{
		Algorithm: alg,
		Key:       &jose.JSONWebKey{Key: key, KeyID: kid, Algorithm: string(alg), Use: "sig"},
	}, nil)
	if err != nil {
		return nil, fmt.Errorf("token issuer: %w", err)
	}
	return &Issuer{issuer: issuer, keyID: kid, signer: signer, now: time.Now}, nil
}

// KeyID is the kid of the tokens i signs.
func (i *Issuer) KeyID() string { return i.keyID }

// TokenClaims is what a token says: whose it is, what it is bound to (at
// most one of Secret, Pod or Node; Node may come with Pod, naming the
// pod's node), for whom and for how long.
type TokenClaims struct {
	ServiceAccount    *corev1.ServiceAccount
	Pod               *corev1.Pod
	Secret            *corev1.Secret
	Node              *corev1.Node
	Audiences         []string
	ExpirationSeconds int64
	// WarnAfterSeconds, when set, is when an extended token counts as stale
	// (the "warnafter" claim).
	WarnAfterSeconds int64
}

// Issue signs a token, returning it and its expiry.
func (i *Issuer) Issue(c TokenClaims) (string, time.Time, error) {
	sa := c.ServiceAccount
	switch {
	case sa == nil || sa.Namespace == "" || sa.Name == "":
		return "", time.Time{}, errors.New("issue token: no service account")
	case c.Secret != nil && (c.Pod != nil || c.Node != nil):
		return "", time.Time{}, fmt.Errorf("issue token for %s/%s: token can only be bound to one object type", sa.Namespace, sa.Name)
	case len(c.Audiences) == 0:
		return "", time.Time{}, fmt.Errorf("issue token for %s/%s: no audience", sa.Namespace, sa.Name)
	case c.ExpirationSeconds <= 0:
		return "", time.Time{}, fmt.Errorf("issue token for %s/%s: expiration must be positive", sa.Namespace, sa.Name)
	}
	now := i.now()
	exp := now.Add(time.Duration(c.ExpirationSeconds) * time.Second)
	claims := boundClaims{
		Issuer:    i.issuer,
		Subject:   ServiceAccountUsername(sa.Namespace, sa.Name),
		Audience:  slices.Clone(c.Audiences),
		Expiry:    jwt.NewNumericDate(exp),
		IssuedAt:  jwt.NewNumericDate(now),
		NotBefore: jwt.NewNumericDate(now),
		ID:        newUUID(),
		Kubernetes: kubernetesClaims{
			Namespace:      sa.Namespace,
			ServiceAccount: ref{Name: sa.Name, UID: string(sa.UID)},
		},
	}
	switch {
	case c.Pod != nil:
		claims.Kubernetes.Pod = &ref{Name: c.Pod.Name, UID: string(c.Pod.UID)}
		if c.Node != nil {
			claims.Kubernetes.Node = &ref{Name: c.Node.Name, UID: string(c.Node.UID)}
		}
	case c.Secret != nil:
		claims.Kubernetes.Secret = &ref{Name: c.Secret.Name, UID: string(c.Secret.UID)}
	case c.Node != nil:
		claims.Kubernetes.Node = &ref{Name: c.Node.Name, UID: string(c.Node.UID)}
	}
	if c.WarnAfterSeconds > 0 {
		claims.Kubernetes.WarnAfter = jwt.NewNumericDate(now.Add(time.Duration(c.WarnAfterSeconds) * time.Second))
	}
	token, err := jwt.Signed(i.signer).Claims(claims).Serialize()
	if err != nil {
		return "", time.Time{}, fmt.Errorf("sign token for %s/%s: %w", sa.Namespace, sa.Name, err)
	}
	return token, time.Unix(exp.Unix(), 0), nil
}

// TokenRequest lifetimes (upstream's serviceaccount token package).
const (
	// MinTokenExpirationSeconds is the shortest lifetime TokenRequest accepts.
	MinTokenExpirationSeconds = 10 * 60
	// WarnOnlyBoundTokenExpirationSeconds is the lifetime the kubelet asks
	// for projected tokens, which the apiserver extends.
	WarnOnlyBoundTokenExpirationSeconds = 60*60 + 7
	// ExpirationExtensionSeconds is what such tokens are extended to.
	ExpirationExtensionSeconds = 24 * 365 * 60 * 60
)

// TokenExpiration is the lifetime a TokenRequest gets, as upstream's
// registry decides it once the request is capped by
// --service-account-max-token-expiration: a pod-bound token asking for
// exactly WarnOnlyBoundTokenExpirationSeconds for audiences all among the
// apiserver's is, when extend (--service-account-extend-token-expiration),
// extended to a year, whatever the cap, and warns after the requested
// lifetime.
func TokenExpiration(requested int64, extend, podBound bool, audiences, apiAudiences []string) (expirationSeconds, warnAfterSeconds int64) {
	if !extend || !podBound || requested != WarnOnlyBoundTokenExpirationSeconds {
		return requested, 0
	}
	for _, a := range audiences {
		if !slices.Contains(apiAudiences, a) {
			return requested, 0
		}
	}
	return ExpirationExtensionSeconds, requested
}

// newUUID returns a random (version 4) UUID, the jti of a token.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand crashes the program rather)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
