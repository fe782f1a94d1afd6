package fakeapi

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// testCA is a certificate authority made for one test.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
}

func newTestCA(t *testing.T, cn string) *testCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: cn},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return &testCA{cert: cert, key: key}
}

func (ca *testCA) pool() *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(ca.cert)
	return p
}

// issue signs a leaf certificate for usage; server certificates are for
// 127.0.0.1.
func (ca *testCA) issue(t *testing.T, cn string, usage x509.ExtKeyUsage) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: cn, Organization: []string{"system:masters"}},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{usage},
	}
	if usage == x509.ExtKeyUsageServerAuth {
		tmpl.IPAddresses = []net.IP{net.ParseIP("127.0.0.1")}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

func tlsClient(roots *x509.CertPool, certs ...tls.Certificate) *http.Client {
	return &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots, Certificates: certs, MinVersion: tls.VersionTLS12}}}
}

func TestTokenAuth(t *testing.T) {
	srv := New(t, WithTokens(map[string]string{"s3cret": "alice"}))
	const path = "/api/v1/namespaces/default/configmaps"
	tests := []struct {
		name, auth string
		code       int
		user       string
	}{
		{"no credentials", "", http.StatusUnauthorized, ""},
		{"wrong token", "Bearer nope", http.StatusUnauthorized, ""},
		{"basic auth", "Basic YWxpY2U6cHc=", http.StatusUnauthorized, ""},
		{"valid token", "Bearer s3cret", http.StatusOK, "alice"},
		{"scheme is case-insensitive", "bearer s3cret", http.StatusOK, "alice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv.ResetRequests()
			h := http.Header{"User-Agent": {"skiff-test/1.0"}}
			if tt.auth != "" {
				h.Set("Authorization", tt.auth)
			}
			r := doWith(t, srv.Client(), srv.URL(), http.MethodGet, path, "", "", h)
			if tt.code == http.StatusUnauthorized {
				wantStatus(t, r, http.StatusUnauthorized, "Unauthorized", "Unauthorized")
			} else if r.code != tt.code {
				t.Fatalf("got %d %s", r.code, r.raw)
			}
			req := srv.Requests()[0]
			if req.User != tt.user || req.Header.Get("Authorization") != tt.auth || req.Header.Get("User-Agent") != "skiff-test/1.0" || req.Path != path {
				t.Fatalf("recorded %+v", req)
			}
		})
	}
}

func TestClientCertificateAuth(t *testing.T) {
	ca := newTestCA(t, "test-ca")
	serverCert := ca.issue(t, "apiserver", x509.ExtKeyUsageServerAuth)
	srv := New(t, WithTLS(&serverCert, ca.pool()), WithTokens(map[string]string{"tok": "bob"}))
	if !strings.HasPrefix(srv.URL(), "https://") {
		t.Fatalf("URL %s", srv.URL())
	}
	otherCA := newTestCA(t, "other-ca")
	tests := []struct {
		name   string
		client *http.Client
		header http.Header
		code   int
		user   string
	}{
		{"verified certificate", tlsClient(ca.pool(), ca.issue(t, "alice", x509.ExtKeyUsageClientAuth)), nil, http.StatusOK, "alice"},
		{"certificate of another CA", tlsClient(ca.pool(), otherCA.issue(t, "mallory", x509.ExtKeyUsageClientAuth)), nil, http.StatusUnauthorized, ""},
		{"server certificate as client", tlsClient(ca.pool(), ca.issue(t, "eve", x509.ExtKeyUsageServerAuth)), nil, http.StatusUnauthorized, ""},
		{"no certificate", tlsClient(ca.pool()), nil, http.StatusUnauthorized, ""},
		{"token over TLS", tlsClient(ca.pool()), http.Header{"Authorization": {"Bearer tok"}}, http.StatusOK, "bob"},
		{"bad certificate, good token", tlsClient(ca.pool(), otherCA.issue(t, "m", x509.ExtKeyUsageClientAuth)), http.Header{"Authorization": {"Bearer tok"}}, http.StatusOK, "bob"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv.ResetRequests()
			r := doWith(t, tt.client, srv.URL(), http.MethodGet, "/api/v1/nodes", "", "", tt.header)
			if r.code != tt.code {
				t.Fatalf("got %d %s", r.code, r.raw)
			}
			if got := srv.Requests()[0].User; got != tt.user {
				t.Fatalf("user %q, want %q", got, tt.user)
			}
		})
	}
}

func TestTLSWithBuiltInCertificate(t *testing.T) {
	srv := New(t, WithTLS(nil, nil))
	if srv.Certificate() == nil {
		t.Fatal("no certificate")
	}
	if r := do(t, srv, http.MethodGet, "/api/v1/pods", "", ""); r.code != http.StatusOK {
		t.Fatalf("got %d %s", r.code, r.raw)
	}
}

func TestMaxRequestBody(t *testing.T) {
	srv := New(t, WithMaxRequestBodyBytes(64))
	small := `{"metadata":{"name":"a"}}`
	if r := do(t, srv, http.MethodPost, "/api/v1/namespaces/default/configmaps", "application/json", small); r.code != http.StatusCreated {
		t.Fatalf("small body: %d %s", r.code, r.raw)
	}
	big := `{"metadata":{"name":"b"},"data":{"k":"` + strings.Repeat("x", 100) + `"}}`
	wantStatus(t, do(t, srv, http.MethodPost, "/api/v1/namespaces/default/configmaps", "application/json", big),
		http.StatusRequestEntityTooLarge, "RequestEntityTooLarge", "Request entity too large: limit is 64")
	if _, ok := srv.Get(ConfigMaps, "default", "b"); ok {
		t.Fatal("too large body was stored")
	}
}
