package pki

import (
	"crypto/x509"
	"encoding/pem"
	"net"
	"testing"
)

func TestIssuedCertificatesVerify(t *testing.T) {
	ca, err := NewCA("skiff-ca", 0)
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := LoadCA(ca.CertPEM, ca.KeyPEM)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		req   Request
		usage x509.ExtKeyUsage
		name  string
	}{
		{Request{CommonName: "kube-apiserver", DNSNames: []string{"kubernetes.default.svc"}, IPs: []net.IP{net.ParseIP("127.0.0.1")}, Server: true}, x509.ExtKeyUsageServerAuth, "kubernetes.default.svc"},
		{Request{CommonName: "admin", Organizations: []string{"system:masters"}}, x509.ExtKeyUsageClientAuth, ""},
	}
	for _, tt := range tests {
		t.Run(tt.req.CommonName, func(t *testing.T) {
			pair, err := loaded.Issue(tt.req)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := pair.TLS(); err != nil {
				t.Fatalf("pair does not load: %v", err)
			}
			b, _ := pem.Decode(pair.CertPEM)
			cert, err := x509.ParseCertificate(b.Bytes)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := cert.Verify(x509.VerifyOptions{Roots: ca.Pool(), DNSName: tt.name, KeyUsages: []x509.ExtKeyUsage{tt.usage}}); err != nil {
				t.Errorf("does not verify against the CA: %v", err)
			}
			if cert.Subject.CommonName != tt.req.CommonName || len(cert.Subject.Organization) != len(tt.req.Organizations) {
				t.Errorf("subject %v", cert.Subject)
			}
		})
	}
	if _, err := LoadCA([]byte("junk"), ca.KeyPEM); err == nil {
		t.Error("LoadCA accepted junk")
	}
}
