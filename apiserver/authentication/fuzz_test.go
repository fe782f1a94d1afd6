package authentication

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// No input may panic: the token file parser and the token authenticators
// see what clients and operators send.
func FuzzParseTokenCSV(f *testing.F) {
	for _, s := range []string{"a,b,c\n", "a,b,c,\"g1,g2\"\n", "\"a", "a,\"b\nc\",d", ",,,\n", "x\"y,b,c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		tokens, err := ParseTokenCSV(nil, "f", strings.NewReader(data))
		if err == nil {
			_, _, _ = tokens.AuthenticateToken(context.Background(), "a")
		}
	})
}

func FuzzAuthenticateToken(f *testing.F) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		f.Fatal(err)
	}
	iss, _ := NewIssuer(testIssuer, key)
	objs := newObjects()
	good, _, _ := iss.Issue(TokenClaims{ServiceAccount: objs.sas["default/builder"], Pod: objs.pods["default/web-0"], Audiences: []string{testIssuer}, ExpirationSeconds: 600})
	for _, s := range []string{good, good[:len(good)-3], "a.b.c", "eyJ9.eyJ9.e30", good + ".x", strings.Replace(good, ".", "..", 1)} {
		f.Add(s)
	}
	v, err := NewServiceAccountTokens(nil, ServiceAccountTokenOptions{
		Keys: []crypto.PublicKey{key.Public()}, Issuers: []string{testIssuer}, Legacy: true, Lookup: true, Getters: objs.getters(),
	})
	if err != nil {
		f.Fatal(err)
	}
	chain := New(Config{ServiceAccounts: v, Anonymous: true})
	f.Fuzz(func(t *testing.T, token string) {
		_, _, _ = v.AuthenticateToken(context.Background(), token)
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header["Authorization"] = []string{"Bearer " + token}
		r.Header["Sec-Websocket-Protocol"] = []string{token, "x"}
		r.Header.Set("Connection", "Upgrade")
		r.Header.Set("Upgrade", "websocket")
		_, _, _ = chain.AuthenticateRequest(r)
	})
}
