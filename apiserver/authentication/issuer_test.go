package authentication

import (
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"regexp"
	"testing"

	corev1 "k8s.io/api/core/v1"
)

func TestIssueErrors(t *testing.T) {
	iss, err := NewIssuer(testIssuer, testECKey(t, elliptic.P256()))
	if err != nil {
		t.Fatal(err)
	}
	sa := &corev1.ServiceAccount{ObjectMeta: meta("ns", "sa", "u")}
	tests := []struct {
		name   string
		claims TokenClaims
	}{
		{"no service account", TokenClaims{Audiences: []string{"a"}, ExpirationSeconds: 600}},
		{"secret and pod", TokenClaims{ServiceAccount: sa, Secret: &corev1.Secret{}, Pod: &corev1.Pod{}, Audiences: []string{"a"}, ExpirationSeconds: 600}},
		{"no audience", TokenClaims{ServiceAccount: sa, ExpirationSeconds: 600}},
		{"no expiration", TokenClaims{ServiceAccount: sa, Audiences: []string{"a"}}},
	}
	for _, tt := range tests {
		if _, _, err := iss.Issue(tt.claims); err == nil {
			t.Errorf("%s: issued", tt.name)
		}
	}
	_, edKey, _ := ed25519.GenerateKey(rand.Reader)
	if _, err := NewIssuer(testIssuer, edKey); err == nil {
		t.Error("ed25519 key accepted")
	}
	if _, err := NewIssuer("", testECKey(t, elliptic.P256())); err == nil {
		t.Error("empty issuer accepted")
	}
	if ok, _ := regexp.MatchString(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, newUUID()); !ok {
		t.Error("jti is not a v4 UUID")
	}
}

func TestTokenExpiration(t *testing.T) {
	api := []string{"https://kubernetes.default.svc"}
	tests := []struct {
		name              string
		requested         int64
		extend, pod       bool
		auds              []string
		wantExp, wantWarn int64
	}{
		{"plain", 3600, true, true, api, 3600, 0},
		{"kubelet projected token extended", 3607, true, true, api, ExpirationExtensionSeconds, 3607},
		{"extension off", 3607, false, true, api, 3607, 0},
		{"not pod bound", 3607, true, false, api, 3607, 0},
		{"other audience", 3607, true, true, []string{"vault"}, 3607, 0},
		{"no audience counts as the apiserver's", 3607, true, true, nil, ExpirationExtensionSeconds, 3607},
	}
	for _, tt := range tests {
		exp, warn := TokenExpiration(tt.requested, tt.extend, tt.pod, tt.auds, api)
		if exp != tt.wantExp || warn != tt.wantWarn {
			t.Errorf("%s: %d %d, want %d %d", tt.name, exp, warn, tt.wantExp, tt.wantWarn)
		}
	}
}
