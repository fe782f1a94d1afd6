package authentication

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/skiff-dev/skiff/internal/pki"
)

func pemBlock(t *testing.T, typ string, der []byte) []byte {
	t.Helper()
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}

func TestParseKeys(t *testing.T) {
	rk := testRSAKey(t)
	ek := testECKey(t, elliptic.P256())
	pkcs8, err := x509.MarshalPKCS8PrivateKey(ek)
	if err != nil {
		t.Fatal(err)
	}
	ecDER, _ := x509.MarshalECPrivateKey(ek)
	rsaPub, _ := x509.MarshalPKIXPublicKey(&rk.PublicKey)
	ca := newCA(t, "ca")

	tests := []struct {
		name string
		data []byte
		want []crypto.PublicKey
	}{
		{"rsa private pkcs1", pemBlock(t, "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(rk)), []crypto.PublicKey{&rk.PublicKey}},
		{"rsa public pkix", pemBlock(t, "PUBLIC KEY", rsaPub), []crypto.PublicKey{&rk.PublicKey}},
		{"rsa public pkcs1", pemBlock(t, "RSA PUBLIC KEY", x509.MarshalPKCS1PublicKey(&rk.PublicKey)), []crypto.PublicKey{&rk.PublicKey}},
		{"ec private sec1", pemBlock(t, "EC PRIVATE KEY", ecDER), []crypto.PublicKey{&ek.PublicKey}},
		{"ec private pkcs8", pemBlock(t, "PRIVATE KEY", pkcs8), []crypto.PublicKey{&ek.PublicKey}},
		{"certificate and junk block", append(append([]byte{}, ca.CertPEM...), pemBlock(t, "JUNK", []byte("x"))...), []crypto.PublicKey{ca.Cert.PublicKey}},
		{"several", append(pemBlock(t, "EC PRIVATE KEY", ecDER), pemBlock(t, "PUBLIC KEY", rsaPub)...), []crypto.PublicKey{&ek.PublicKey, &rk.PublicKey}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParsePublicKeysPEM(tt.data)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %v", got)
			}
		})
	}
	for _, bad := range [][]byte{nil, []byte("not pem"), pemBlock(t, "PUBLIC KEY", []byte("garbage"))} {
		if _, err := ParsePublicKeysPEM(bad); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}

	// private keys for signing
	for name, data := range map[string][]byte{
		"pkcs1": pemBlock(t, "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(rk)),
		"sec1":  pemBlock(t, "EC PRIVATE KEY", ecDER),
		"pkcs8": pemBlock(t, "PRIVATE KEY", pkcs8),
		"pki":   ca.KeyPEM,
	} {
		if _, err := ParsePrivateKeyPEM(data); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := ParsePrivateKeyPEM(pemBlock(t, "PUBLIC KEY", rsaPub)); err == nil {
		t.Error("public key accepted as private")
	}
}

func TestLoadKeyFiles(t *testing.T) {
	ca, _ := pki.NewCA("sa", 0)
	dir := t.TempDir()
	p := filepath.Join(dir, "sa.key")
	if err := os.WriteFile(p, ca.KeyPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	signer, err := LoadPrivateKey(p)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := LoadPublicKeys(p, p)
	if err != nil || len(keys) != 2 || !signer.Public().(*ecdsa.PublicKey).Equal(keys[0]) {
		t.Fatalf("%v %v", keys, err)
	}
	if _, err := LoadPublicKeys(filepath.Join(dir, "missing")); err == nil {
		t.Error("missing file accepted")
	}
	if _, err := LoadPrivateKey(filepath.Join(dir, "missing")); err == nil {
		t.Error("missing file accepted")
	}
}

func TestKeyID(t *testing.T) {
	k := testECKey(t, elliptic.P256())
	der, _ := x509.MarshalPKIXPublicKey(&k.PublicKey)
	sum := sha256.Sum256(der)
	want := base64.RawURLEncoding.EncodeToString(sum[:])
	got, err := KeyID(k.Public())
	if err != nil || got != want || len(got) != 43 {
		t.Fatalf("%q %v, want %q", got, err, want)
	}
	if _, err := KeyID("not a key"); err == nil {
		t.Error("KeyID of a string")
	}
}
