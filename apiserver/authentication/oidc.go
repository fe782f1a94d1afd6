package authentication

import (
	"crypto"
	"encoding/json"
	"fmt"
	"slices"

	jose "github.com/go-jose/go-jose/v4"
)

// Service-account issuer discovery documents (served at
// /.well-known/openid-configuration and /openid/v1/jwks, readable by group
// system:serviceaccounts through ClusterRole
// system:service-account-issuer-discovery).
const (
	OpenIDConfigurationPath = "/.well-known/openid-configuration"
	JWKSPath                = "/openid/v1/jwks"
	// Content types and caching of the two documents.
	OpenIDConfigurationContentType = "application/json"
	JWKSContentType                = "application/jwk-set+json"
	DiscoveryCacheControl          = "public, max-age=3600"
)

// OpenIDConfiguration is the discovery document of issuer, whose key set is
// at jwksURI (--service-account-jwks-uri, or https://<external
// address>/openid/v1/jwks) and signs with the algorithms of keys.
func OpenIDConfiguration(issuer, jwksURI string, keys []crypto.PublicKey) ([]byte, error) {
	var algs []string
	for _, k := range keys {
		alg, err := signingAlgorithm(k)
		if err != nil {
			return nil, fmt.Errorf("openid configuration: %w", err)
		}
		if !slices.Contains(algs, string(alg)) {
			algs = append(algs, string(alg))
		}
	}
	slices.Sort(algs)
	return json.Marshal(struct {
		Issuer        string   `json:"issuer"`
		JWKSURI       string   `json:"jwks_uri"`
		ResponseTypes []string `json:"response_types_supported"`
		SubjectTypes  []string `json:"subject_types_supported"`
		SigningAlgs   []string `json:"id_token_signing_alg_values_supported"`
	}{issuer, jwksURI, []string{"id_token"}, []string{"public"}, algs})
}

// JWKS is the key set verifying service-account tokens: each key with its
// KeyID, algorithm and use "sig".
func JWKS(keys []crypto.PublicKey) ([]byte, error) {
	set := jose.JSONWebKeySet{Keys: []jose.JSONWebKey{}}
	for _, k := range keys {
		alg, err := signingAlgorithm(k)
		if err != nil {
			return nil, fmt.Errorf("jwks: %w", err)
		}
		kid, err := KeyID(k)
		if err != nil {
			return nil, fmt.Errorf("jwks: %w", err)
		}
		set.Keys = append(set.Keys, jose.JSONWebKey{Key: k, KeyID: kid, Algorithm: string(alg), Use: "sig"})
	}
	return json.Marshal(set)
}
