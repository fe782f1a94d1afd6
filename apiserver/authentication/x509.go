package authentication

import (
	"crypto/x509"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// X509 authenticates requests by their TLS client certificate, verified
// against the CA pool of --client-ca-file: the subject's CommonName is the
// user name, its Organizations the groups. The TLS server must request (not
// require or verify) client certificates, so that an unverified one reaches
// here and is answered 401.
type X509 struct {
	roots   *x509.CertPool
	metrics *Metrics
	now     func() time.Time
}

// NewX509 returns an authenticator verifying client certificates against
// roots. m may be nil.
func NewX509(roots *x509.CertPool, m *Metrics) *X509 {
	return &X509{roots: roots, metrics: m, now: time.Now}
}

// AuthenticateRequest verifies the first peer certificate, with the rest as
// intermediates, for client authentication. A request without a client
// certificate, or whose certificate has no CommonName, is not recognised.
func (a *X509) AuthenticateRequest(r *http.Request) (*User, bool, error) {
	if r.TLS == nil || len(r.TLS.PeerCertificates) == 0 {
		return nil, false, nil
	}
	leaf := r.TLS.PeerCertificates[0]
	opts := x509.VerifyOptions{
		Roots:         a.roots,
		Intermediates: x509.NewCertPool(),
		CurrentTime:   a.now(),
		KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	for _, c := range r.TLS.PeerCertificates[1:] {
		opts.Intermediates.AddCert(c)
	}
	a.metrics.observeClientCert(leaf.NotAfter.Sub(opts.CurrentTime).Seconds())
	chains, err := leaf.Verify(opts)
	if err != nil {
		return nil, false, fmt.Errorf("verifying certificate %s failed: %w", certificateIdentifier(leaf), err)
	}
	if len(chains) == 0 || chains[0][0].Subject.CommonName == "" {
		return nil, false, nil
	}
	subject := chains[0][0].Subject
	return &User{Name: subject.CommonName, Groups: slices.Clone(subject.Organization)}, true, nil
}

// certificateIdentifier names a certificate in errors and logs as upstream:
// serial number, subject and authority key ids.
func certificateIdentifier(c *x509.Certificate) string {
	return fmt.Sprintf("SN=%d, SKID=%s, AKID=%s", c.SerialNumber, hexColons(c.SubjectKeyId), hexColons(c.AuthorityKeyId))
}

func hexColons(b []byte) string {
	if len(b) == 0 {
		return "<none>"
	}
	parts := make([]string, len(b))
	for i, x := range b {
		parts[i] = fmt.Sprintf("%02X", x)
	}
	return strings.Join(parts, ":")
}
