package daemon

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"
)

func TestSecureServingFlags(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantAddr string
		wantErr  string
	}{
		{name: "defaults", wantAddr: ":10259"},
		{name: "bind address and port", args: []string{"--bind-address=127.0.0.1", "--secure-port=8443"}, wantAddr: "127.0.0.1:8443"},
		{name: "ipv6", args: []string{"--bind-address=::1"}, wantAddr: "[::1]:10259"},
		{name: "port out of range", args: []string{"--secure-port=70000"}, wantErr: "--secure-port"},
		{name: "cert without key", args: []string{"--tls-cert-file=a.crt"}, wantErr: "--tls-private-key-file"},
		{name: "tls 1.1", args: []string{"--tls-min-version=VersionTLS11"}, wantErr: "--tls-min-version"},
		{name: "tls 1.3", args: []string{"--tls-min-version=VersionTLS13"}, wantAddr: ":10259"},
		{name: "insecure cipher", args: []string{"--tls-cipher-suites=TLS_RSA_WITH_RC4_128_SHA"}, wantErr: "--tls-cipher-suites"},
		{name: "good cipher", args: []string{"--tls-cipher-suites=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"}, wantAddr: ":10259"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := NewSecureServingOptions(10259, "", "kube-scheduler")
			fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
			o.AddFlags(fs)
			if err := fs.Parse(tt.args); err != nil {
				t.Fatal(err)
			}
			err := o.Validate()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Validate() = %v, want an error naming %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := o.Address(); got != tt.wantAddr {
				t.Errorf("Address() = %q, want %q", got, tt.wantAddr)
			}
		})
	}
}

// caPool returns a pool holding the last certificate of the PEM file at path
// (the generated CA).
func caPool(t *testing.T, certPEM []byte) *x509.CertPool {
	t.Helper()
	var last []byte
	for rest := certPEM; ; {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		last = b.Bytes
	}
	ca, err := x509.ParseCertificate(last)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(ca)
	return pool
}

func TestSelfSignedCertGeneratedAndReused(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "pki")
	o := NewSecureServingOptions(0, dir, "kube-scheduler")
	if _, err := o.TLSConfig(); err != nil {
		t.Fatal(err)
	}
	certPEM, err := os.ReadFile(filepath.Join(dir, "kube-scheduler.crt"))
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(filepath.Join(dir, "kube-scheduler.key"))
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("key mode %v, want 0600", info.Mode().Perm())
	}
	// A second start reuses the pair.
	if _, err := o.TLSConfig(); err != nil {
		t.Fatal(err)
	}
	again, _ := os.ReadFile(filepath.Join(dir, "kube-scheduler.crt"))
	if !bytes.Equal(certPEM, again) {
		t.Error("the certificate was regenerated although it was present and valid")
	}

	// The certificate verifies for the names probes and local clients use.
	hostname, _ := os.Hostname()
	cert, _ := pem.Decode(certPEM)
	leaf, err := x509.ParseCertificate(cert.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"localhost", "127.0.0.1", "::1", hostname} {
		if _, err := leaf.Verify(x509.VerifyOptions{DNSName: name, Roots: caPool(t, certPEM)}); err != nil {
			t.Errorf("verify for %q: %v", name, err)
		}
	}
}

func TestExpiredSelfSignedCertIsReplaced(t *testing.T) {
	dir := t.TempDir()
	old := time.Now().Add(-2 * selfSignedValidity)
	if _, err := loadOrGenerateCert(dir, "kubelet", hostCertNames(nil), old); err != nil {
		t.Fatal(err)
	}
	cert, err := loadOrGenerateCert(dir, "kubelet", hostCertNames(nil), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if !time.Now().Before(cert.Leaf.NotAfter) {
		t.Errorf("got a certificate expiring %v", cert.Leaf.NotAfter)
	}
}

func TestGivenCertFilesAreServed(t *testing.T) {
	// Make a pair with the generator, then hand it over as --tls-cert-file.
	certPEM, keyPEM, err := generateSelfSigned(certNames{host: "given", dns: []string{"given.example"}}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "tls.crt"), filepath.Join(dir, "tls.key")
	os.WriteFile(certFile, certPEM, 0o644)
	os.WriteFile(keyFile, keyPEM, 0o600)

	o := NewSecureServingOptions(0, filepath.Join(dir, "unused"), "x")
	o.BindAddress = []byte{127, 0, 0, 1}
	o.CertFile, o.KeyFile = certFile, keyFile
	srv, err := o.NewServer(nil, "secure", http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "hi") }))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := runServer(t, ctx, srv)
	defer func() { cancel(); <-done }()

	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{
		RootCAs: caPool(t, certPEM), ServerName: "given.example",
	}}}
	resp, err := client.Get(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "hi" {
		t.Errorf("body %q", body)
	}
	if _, err := os.Stat(filepath.Join(dir, "unused")); !os.IsNotExist(err) {
		t.Errorf("cert-dir was used although cert files were given: %v", err)
	}
}

func TestTLSMinVersion(t *testing.T) {
	o := NewSecureServingOptions(0, "", "kube-scheduler")
	o.BindAddress = []byte{127, 0, 0, 1}
	o.MinTLSVersion = "VersionTLS13"
	srv, err := o.NewServer(nil, "secure", http.NotFoundHandler())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := runServer(t, ctx, srv)
	defer func() { cancel(); <-done }()

	addr := srv.Addr().String()
	old := &tls.Config{InsecureSkipVerify: true, MaxVersion: tls.VersionTLS12}
	if conn, err := tls.Dial("tcp", addr, old); err == nil {
		conn.Close()
		t.Error("a TLS 1.2 client connected to a server with --tls-min-version=VersionTLS13")
	}
	conn, err := tls.Dial("tcp", addr, &tls.Config{InsecureSkipVerify: true})
	if err != nil {
		t.Fatal(err)
	}
	if v := conn.ConnectionState().Version; v != tls.VersionTLS13 {
		t.Errorf("negotiated %x", v)
	}
	conn.Close()
}
