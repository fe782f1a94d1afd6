package client

import (
	"crypto/tls"
	"net"
	"testing"

	"github.com/skiff-dev/skiff/internal/pki"
)

// testCA issues certificates for tests.
type testCA struct {
	*pki.CA
	PEM []byte
}

func newTestCA(t *testing.T) *testCA {
	t.Helper()
	ca, err := pki.NewCA("test-ca", 0)
	if err != nil {
		t.Fatal(err)
	}
	return &testCA{CA: ca, PEM: ca.CertPEM}
}

// issue returns a PEM certificate and key; server certificates are for
// 127.0.0.1 and kubernetes.test, client certificates carry cn and orgs.
func (ca *testCA) issue(t *testing.T, cn string, orgs []string, server bool) (certPEM, keyPEM []byte) {
	t.Helper()
	req := pki.Request{CommonName: cn, Organizations: orgs, Server: server}
	if server {
		req.IPs, req.DNSNames = []net.IP{net.ParseIP("127.0.0.1")}, []string{"kubernetes.test"}
	}
	pair, err := ca.Issue(req)
	if err != nil {
		t.Fatal(err)
	}
	return pair.CertPEM, pair.KeyPEM
}

func (ca *testCA) serverTLS(t *testing.T, clientCA *testCA) *tls.Config {
	certPEM, keyPEM := ca.issue(t, "kube-apiserver", nil, true)
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	cfg := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	if clientCA != nil {
		cfg.ClientCAs = clientCA.Pool()
		cfg.ClientAuth = tls.VerifyClientCertIfGiven
	}
	return cfg
}
