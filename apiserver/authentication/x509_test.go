package authentication

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/internal/pki"
)

func parseCert(t *testing.T, pair pki.Pair) *x509.Certificate {
	t.Helper()
	b, _ := pem.Decode(pair.CertPEM)
	c, err := x509.ParseCertificate(b.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func newCA(t *testing.T, name string) *pki.CA {
	t.Helper()
	ca, err := pki.NewCA(name, 0)
	if err != nil {
		t.Fatal(err)
	}
	return ca
}

func issue(t *testing.T, ca *pki.CA, r pki.Request) pki.Pair {
	t.Helper()
	p, err := ca.Issue(r)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestX509(t *testing.T) {
	ca := newCA(t, "client-ca")
	other := newCA(t, "other-ca")
	admin := parseCert(t, issue(t, ca, pki.Request{CommonName: "admin", Organizations: []string{"system:masters", "ops"}}))
	noCN := parseCert(t, issue(t, ca, pki.Request{Organizations: []string{"x"}}))
	server := parseCert(t, issue(t, ca, pki.Request{CommonName: "apiserver", Server: true, DNSNames: []string{"localhost"}}))
	foreign := parseCert(t, issue(t, other, pki.Request{CommonName: "mallory"}))

	tests := []struct {
		name      string
		certs     []*x509.Certificate
		now       time.Time
		wantUser  string
		wantGroup []string
		wantErr   string
	}{
		{name: "no certificate"},
		{name: "valid", certs: []*x509.Certificate{admin}, wantUser: "admin", wantGroup: []string{"ops", "system:masters"}},
		{name: "no common name", certs: []*x509.Certificate{noCN}},
		{name: "other CA", certs: []*x509.Certificate{foreign}, wantErr: "unknown authority"},
		{name: "server certificate", certs: []*x509.Certificate{server}, wantErr: "verifying certificate SN="},
		{name: "expired", certs: []*x509.Certificate{admin}, now: time.Now().Add(2 * 365 * 24 * time.Hour), wantErr: "expired"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := NewX509(ca.Pool(), nil)
			if !tt.now.IsZero() {
				a.now = func() time.Time { return tt.now }
			}
			r := httptest.NewRequest(http.MethodGet, "/api", nil)
			if tt.certs != nil {
				r.TLS = &tls.ConnectionState{PeerCertificates: tt.certs}
			} else {
				r.TLS = nil
			}
			u, ok, err := a.AuthenticateRequest(r)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || ok {
					t.Fatalf("got %v %v, want error containing %q", ok, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.wantUser == "" {
				if ok || u != nil {
					t.Fatalf("recognised %+v", u)
				}
				return
			}
			if !ok || u.Name != tt.wantUser || strings.Join(u.Groups, ",") != strings.Join(tt.wantGroup, ",") {
				t.Fatalf("got %+v %v", u, ok)
			}
		})
	}
}

// TestX509OverTLS runs the filter behind a real TLS server that requests
// client certificates, as the apiserver's listener does.
func TestX509OverTLS(t *testing.T) {
	ca := newCA(t, "ca")
	client, err := issue(t, ca, pki.Request{CommonName: "jane", Organizations: []string{"devs"}}).TLS()
	if err != nil {
		t.Fatal(err)
	}
	foreign, err := issue(t, newCA(t, "other"), pki.Request{CommonName: "mallory"}).TLS()
	if err != nil {
		t.Fatal(err)
	}
	auth := New(Config{ClientCA: ca.Pool()})
	srv := httptest.NewUnstartedServer(WithAuthentication(nil, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, _ := UserFrom(r.Context())
		_, _ = io.WriteString(w, u.Name+" "+strings.Join(u.Groups, ","))
	}), auth, nil, nil, nil))
	srv.TLS = &tls.Config{ClientAuth: tls.RequestClientCert}
	srv.StartTLS()
	defer srv.Close()

	get := func(cert *tls.Certificate) (int, string) {
		tr := srv.Client().Transport.(*http.Transport).Clone()
		if cert != nil {
			tr.TLSClientConfig.Certificates = []tls.Certificate{*cert}
		}
		c := &http.Client{Transport: tr}
		defer c.CloseIdleConnections()
		resp, err := c.Get(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := get(&client); code != 200 || body != "jane devs,system:authenticated" {
		t.Errorf("good certificate: %d %q", code, body)
	}
	if code, body := get(&foreign); code != 401 || !strings.Contains(body, `"reason":"Unauthorized"`) {
		t.Errorf("foreign certificate: %d %q", code, body)
	}
	if code, _ := get(nil); code != 401 {
		t.Errorf("no certificate, anonymous off: %d", code)
	}
}
