package fakeapi

import (
	"crypto/x509"
	"net/http"
	"strings"
)

// authenticator checks client certificates and bearer tokens, as upstream's
// x509 and token authenticators do; the first that succeeds names the user.
type authenticator struct {
	clientCAs *x509.CertPool
	tokens    map[string]string
}

// required says whether requests must authenticate.
func (a *authenticator) required() bool { return a.clientCAs != nil || len(a.tokens) > 0 }

// authenticate returns the user of the request's verified client
// certificate or valid bearer token.
func (a *authenticator) authenticate(r *http.Request) (string, bool) {
	if user, ok := a.certUser(r); ok {
		return user, true
	}
	if token, ok := bearerToken(r); ok {
		if user, ok := a.tokens[token]; ok {
			return user, true
		}
	}
	return "", false
}

// certUser verifies the client certificate against the client CAs. The
// TLS layer only requests certificates, so an unverifiable one is a 401
// here, as upstream, not a failed handshake.
func (a *authenticator) certUser(r *http.Request) (string, bool) {
	if a.clientCAs == nil || r.TLS == nil || len(r.TLS.PeerCertificates) == 0 {
		return "", false
	}
	certs := r.TLS.PeerCertificates
	intermediates := x509.NewCertPool()
	for _, c := range certs[1:] {
		intermediates.AddCert(c)
	}
	_, err := certs[0].Verify(x509.VerifyOptions{
		Roots:         a.clientCAs,
		Intermediates: intermediates,
		KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	})
	if err != nil {
		return "", false
	}
	return certs[0].Subject.CommonName, true
}

func bearerToken(r *http.Request) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
	if !ok || !strings.EqualFold(scheme, "bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}
