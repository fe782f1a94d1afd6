package authentication

import (
	"crypto"
	"crypto/elliptic"
	"encoding/json"
	"reflect"
	"testing"

	jose "github.com/go-jose/go-jose/v4"
)

func TestDiscoveryDocuments(t *testing.T) {
	ec := testECKey(t, elliptic.P256())
	keys := []crypto.PublicKey{testRSAKey(t).Public(), ec.Public()}
	doc, err := OpenIDConfiguration(testIssuer, "https://10.0.0.1:6443/openid/v1/jwks", keys)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(doc, &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"issuer": testIssuer, "jwks_uri": "https://10.0.0.1:6443/openid/v1/jwks",
		"response_types_supported": []any{"id_token"}, "subject_types_supported": []any{"public"},
		"id_token_signing_alg_values_supported": []any{"ES256", "RS256"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v", got)
	}

	raw, err := JWKS(keys)
	if err != nil {
		t.Fatal(err)
	}
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(raw, &set); err != nil {
		t.Fatal(err)
	}
	if len(set.Keys) != 2 {
		t.Fatalf("%d keys", len(set.Keys))
	}
	kid, _ := KeyID(ec.Public())
	k := set.Key(kid)
	if len(k) != 1 || k[0].Algorithm != "ES256" || k[0].Use != "sig" || !k[0].IsPublic() {
		t.Errorf("key %+v", k)
	}
}
