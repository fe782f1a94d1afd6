package authentication

import (
	"crypto/x509"
)

// Config is the authentication half of kube-apiserver's flags, loaded.
type Config struct {
	// Anonymous lets requests without credentials in as system:anonymous
	// (--anonymous-auth).
	Anonymous bool
	// ClientCA verifies client certificates (--client-ca-file); nil turns
	// certificate authentication off.
	ClientCA *x509.CertPool
	// PrivilegedTokens are tried before everything else, outside the
	// system:authenticated group adder, as upstream's loopback token (see
	// LoopbackUser).
	PrivilegedTokens TokenAuthenticator
	// TokenFile holds --token-auth-file's tokens (nil: none).
	TokenFile *StaticTokens
	// ServiceAccounts verifies service-account tokens (nil: none).
	ServiceAccounts *ServiceAccountTokens
	// APIAudiences are the apiserver's audiences (--api-audiences; default
	// those of ServiceAccounts). Pass the same to WithAuthentication.
	APIAudiences []string
	// Metrics counts client certificates' lifetimes (nil: no metrics).
	Metrics *Metrics
}

// New builds the authenticator chain upstream runs for cfg:
//
//	[privileged tokens] ∪ (( x509 ∪ bearer ∪ websocket-protocol token ) + system:authenticated) [→ anonymous]
//
// where the tokens are tried in the order token file, service accounts.
func New(cfg Config) Authenticator {
	var chain []Authenticator
	if cfg.ClientCA != nil {
		chain = append(chain, NewX509(cfg.ClientCA, cfg.Metrics))
	}
	if len(cfg.APIAudiences) == 0 && cfg.ServiceAccounts != nil {
		cfg.APIAudiences = cfg.ServiceAccounts.opts.APIAudiences // the issuers by default
	}
	var tokens []TokenAuthenticator
	if cfg.TokenFile != nil && cfg.TokenFile.Len() > 0 {
		tokens = append(tokens, AudienceAgnostic(cfg.APIAudiences, cfg.TokenFile))
	}
	if cfg.ServiceAccounts != nil {
		tokens = append(tokens, cfg.ServiceAccounts)
	}
	if len(tokens) > 0 {
		t := TokenUnion(tokens...)
		chain = append(chain, NewBearerToken(t), NewWebSocketProtocol(t))
	}
	var auth Authenticator
	if len(chain) > 0 {
		auth = WithAuthenticatedGroup(Union(chain...))
	} else {
		auth = Union() // recognises nothing
	}
	if cfg.Anonymous {
		auth = WithAnonymous(auth)
	}
	if cfg.PrivilegedTokens != nil {
		auth = Union(NewBearerToken(cfg.PrivilegedTokens), auth)
	}
	return auth
}

// LoopbackUser is the user of the apiserver's own loopback client, which
// authenticates with a random token (put it in PrivilegedTokens).
func LoopbackUser(uid string) *User {
	return &User{Name: APIServerUser, UID: uid, Groups: []string{AllAuthenticated, SystemPrivilegedGroup}}
}
