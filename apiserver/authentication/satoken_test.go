package authentication

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

const testIssuer = "https://kubernetes.default.svc.cluster.local"

var (
	rsaKeyOnce sync.Once
	rsaKey     *rsa.PrivateKey
)

// testRSAKey is generated once: RSA key generation is slow under -race.
func testRSAKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	rsaKeyOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		rsaKey = k
	})
	return rsaKey
}

func testECKey(t *testing.T, c elliptic.Curve) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(c, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// objects is a fake of the four getters over maps.
type objects struct {
	sas     map[string]*corev1.ServiceAccount
	pods    map[string]*corev1.Pod
	secrets map[string]*corev1.Secret
	nodes   map[string]*corev1.Node
}

func (o *objects) GetServiceAccount(_ context.Context, ns, name string) (*corev1.ServiceAccount, error) {
	if sa, ok := o.sas[ns+"/"+name]; ok {
		return sa, nil
	}
	return nil, apierrors.NewNotFound(corev1.Resource("serviceaccounts"), name)
}

func (o *objects) GetPod(_ context.Context, ns, name string) (*corev1.Pod, error) {
	if p, ok := o.pods[ns+"/"+name]; ok {
		return p, nil
	}
	return nil, apierrors.NewNotFound(corev1.Resource("pods"), name)
}

func (o *objects) GetSecret(_ context.Context, ns, name string) (*corev1.Secret, error) {
	if s, ok := o.secrets[ns+"/"+name]; ok {
		return s, nil
	}
	return nil, apierrors.NewNotFound(corev1.Resource("secrets"), name)
}

func (o *objects) GetNode(_ context.Context, name string) (*corev1.Node, error) {
	if n, ok := o.nodes[name]; ok {
		return n, nil
	}
	return nil, apierrors.NewNotFound(corev1.Resource("nodes"), name)
}

func (o *objects) getters() ObjectGetters {
	return ObjectGetters{ServiceAccounts: o, Pods: o, Secrets: o, Nodes: o}
}

func meta(ns, name, uid string) metav1.ObjectMeta {
	return metav1.ObjectMeta{Namespace: ns, Name: name, UID: types.UID(uid)}
}

func newObjects() *objects {
	return &objects{
		sas:     map[string]*corev1.ServiceAccount{"default/builder": {ObjectMeta: meta("default", "builder", "sa-uid")}},
		pods:    map[string]*corev1.Pod{"default/web-0": {ObjectMeta: meta("default", "web-0", "pod-uid")}},
		secrets: map[string]*corev1.Secret{"default/s1": {ObjectMeta: meta("default", "s1", "secret-uid")}},
		nodes:   map[string]*corev1.Node{"node-a": {ObjectMeta: meta("", "node-a", "node-uid")}},
	}
}

func newVerifier(t *testing.T, objs *objects, keys []crypto.PublicKey, m *Metrics, now func() time.Time) *ServiceAccountTokens {
	t.Helper()
	v, err := NewServiceAccountTokens(nil, ServiceAccountTokenOptions{
		Keys: keys, Issuers: []string{testIssuer, "https://old.example"}, Legacy: true, Lookup: true,
		Getters: objs.getters(), Metrics: m, Now: now,
	})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestIssueVerifyRoundTrip(t *testing.T) {
	objs := newObjects()
	sa := objs.sas["default/builder"]
	for _, tc := range []struct {
		name string
		key  crypto.Signer
		alg  string
	}{
		{"rsa", testRSAKey(t), "RS256"},
		{"p256", testECKey(t, elliptic.P256()), "ES256"},
		{"p384", testECKey(t, elliptic.P384()), "ES384"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			iss, err := NewIssuer(testIssuer, tc.key)
			if err != nil {
				t.Fatal(err)
			}
			reg := prometheus.NewRegistry()
			m, err := NewMetrics(reg)
			if err != nil {
				t.Fatal(err)
			}
			// a second, unrelated key first: the kid picks the right one
			other := testECKey(t, elliptic.P256())
			v := newVerifier(t, objs, []crypto.PublicKey{other.Public(), tc.key.Public()}, m, nil)

			token, exp, err := iss.Issue(TokenClaims{
				ServiceAccount: sa, Pod: objs.pods["default/web-0"], Node: objs.nodes["node-a"],
				Audiences: []string{testIssuer, "vault"}, ExpirationSeconds: 3600,
			})
			if err != nil {
				t.Fatal(err)
			}
			if d := time.Until(exp); d < 59*time.Minute || d > 61*time.Minute {
				t.Errorf("expiry in %v", d)
			}
			header, payload := decodeJWT(t, token)
			kid, _ := KeyID(tc.key.Public())
			if header["alg"] != tc.alg || header["kid"] != kid || len(header) != 2 {
				t.Errorf("header %v, want alg %s kid %s", header, tc.alg, kid)
			}
			k8s := payload["kubernetes.io"].(map[string]any)
			if payload["iss"] != testIssuer || payload["sub"] != "system:serviceaccount:default:builder" ||
				!reflect.DeepEqual(payload["aud"], []any{testIssuer, "vault"}) || payload["jti"] == "" ||
				payload["iat"] != payload["nbf"] || payload["exp"].(float64)-payload["iat"].(float64) != 3600 ||
				k8s["namespace"] != "default" ||
				!reflect.DeepEqual(k8s["serviceaccount"], map[string]any{"name": "builder", "uid": "sa-uid"}) ||
				!reflect.DeepEqual(k8s["pod"], map[string]any{"name": "web-0", "uid": "pod-uid"}) ||
				!reflect.DeepEqual(k8s["node"], map[string]any{"name": "node-a", "uid": "node-uid"}) ||
				k8s["secret"] != nil || k8s["warnafter"] != nil {
				t.Errorf("payload %v", payload)
			}

			u, ok, err := v.AuthenticateToken(context.Background(), token)
			if err != nil || !ok {
				t.Fatalf("%v %v", ok, err)
			}
			want := &User{
				Name: "system:serviceaccount:default:builder", UID: "sa-uid",
				Groups: []string{"system:serviceaccounts", "system:serviceaccounts:default"},
				Extra: map[string][]string{
					ExtraPodName: {"web-0"}, ExtraPodUID: {"pod-uid"},
					ExtraNodeName: {"node-a"}, ExtraNodeUID: {"node-uid"},
					ExtraCredentialID: {"JTI=" + payload["jti"].(string)},
				},
				audiences: []string{testIssuer},
			}
			if !reflect.DeepEqual(u, want) {
				t.Errorf("user\n%+v\nwant\n%+v", u, want)
			}
			if got := testutil.ToFloat64(m.validTokens); got != 1 {
				t.Errorf("valid tokens %v", got)
			}
			// a TokenReview asking for audience vault
			u, ok, err = v.AuthenticateToken(WithAudiences(context.Background(), []string{"vault"}), token)
			if err != nil || !ok || !reflect.DeepEqual(u.Audiences(), []string{"vault"}) {
				t.Errorf("vault audience: %v %v %v", u, ok, err)
			}
		})
	}
}

func decodeJWT(t *testing.T, token string) (header, payload map[string]any) {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("not a compact JWT: %q", token)
	}
	for i, dst := range []*map[string]any{&header, &payload} {
		b, err := base64.RawURLEncoding.DecodeString(parts[i])
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, dst); err != nil {
			t.Fatal(err)
		}
	}
	return header, payload
}

func TestVerifyRejects(t *testing.T) {
	key := testECKey(t, elliptic.P256())
	iss, err := NewIssuer(testIssuer, key)
	if err != nil {
		t.Fatal(err)
	}
	foreignIssuer, _ := NewIssuer("https://elsewhere.example", key)
	wrongKey, _ := NewIssuer(testIssuer, testECKey(t, elliptic.P256()))
	oldIssuer, _ := NewIssuer("https://old.example", key)
	objs := newObjects()
	sa := objs.sas["default/builder"]
	base := TokenClaims{ServiceAccount: sa, Audiences: []string{testIssuer}, ExpirationSeconds: 600}
	with := func(f func(*TokenClaims)) TokenClaims {
		c := base
		f(&c)
		return c
	}
	long := time.Now().Add(-time.Hour)
	recent := time.Now().Add(-10 * time.Second)

	tests := []struct {
		name    string
		issuer  *Issuer
		claims  TokenClaims
		ctx     context.Context
		now     time.Time
		mutate  func(o *objects)
		wantOK  bool
		wantErr string
	}{
		{name: "plain", claims: base, wantOK: true},
		{name: "second configured issuer", issuer: oldIssuer, claims: base, wantOK: true},
		{name: "other issuer not recognised", issuer: foreignIssuer, claims: base},
		{name: "wrong signature", issuer: wrongKey, claims: base, wantErr: "error in cryptographic primitive"},
		{name: "expired", claims: base, now: time.Now().Add(12 * time.Minute), wantErr: "service account token has expired"},
		{name: "within leeway", claims: base, now: time.Now().Add(10*time.Minute + 30*time.Second), wantOK: true},
		{name: "not yet valid", claims: base, now: time.Now().Add(-5 * time.Minute), wantErr: "service account token is not valid yet"},
		{name: "wrong audience", claims: with(func(c *TokenClaims) { c.Audiences = []string{"vault"} }),
			wantErr: `token audiences ["vault"] is invalid for the target audiences ["` + testIssuer + `" "https://old.example"]`},
		{name: "asked for another audience", claims: base, ctx: WithAudiences(context.Background(), []string{"vault"}), wantErr: "is invalid for the target audiences"},
		{name: "service account gone", claims: base, mutate: func(o *objects) { delete(o.sas, "default/builder") }, wantErr: `serviceaccounts "builder" not found`},
		{name: "service account recreated", claims: base, mutate: func(o *objects) {
			o.sas["default/builder"] = &corev1.ServiceAccount{ObjectMeta: meta("default", "builder", "new-uid")}
		},
			wantErr: "service account UID (new-uid) does not match claim (sa-uid)"},
		{name: "service account deleted long ago", claims: base, mutate: func(o *objects) { o.sas["default/builder"].DeletionTimestamp = &metav1.Time{Time: long} },
			wantErr: "service account default/builder has been deleted"},
		{name: "service account deleted just now", claims: base, mutate: func(o *objects) { o.sas["default/builder"].DeletionTimestamp = &metav1.Time{Time: recent} }, wantOK: true},
		{name: "pod bound", claims: with(func(c *TokenClaims) { c.Pod = objs.pods["default/web-0"] }), wantOK: true},
		{name: "pod gone", claims: with(func(c *TokenClaims) { c.Pod = objs.pods["default/web-0"] }), mutate: func(o *objects) { delete(o.pods, "default/web-0") },
			wantErr: "service account token has been invalidated"},
		{name: "pod replaced", claims: with(func(c *TokenClaims) { c.Pod = objs.pods["default/web-0"] }),
			mutate:  func(o *objects) { o.pods["default/web-0"] = &corev1.Pod{ObjectMeta: meta("default", "web-0", "other")} },
			wantErr: "pod UID (other) does not match service account pod ref claim (pod-uid)"},
		{name: "pod deleted long ago", claims: with(func(c *TokenClaims) { c.Pod = objs.pods["default/web-0"] }),
			mutate: func(o *objects) { o.pods["default/web-0"].DeletionTimestamp = &metav1.Time{Time: long} }, wantErr: "has been invalidated"},
		{name: "secret bound", claims: with(func(c *TokenClaims) { c.Secret = objs.secrets["default/s1"] }), wantOK: true},
		{name: "secret gone", claims: with(func(c *TokenClaims) { c.Secret = objs.secrets["default/s1"] }), mutate: func(o *objects) { delete(o.secrets, "default/s1") },
			wantErr: "service account token has been invalidated"},
		{name: "node bound", claims: with(func(c *TokenClaims) { c.Node = objs.nodes["node-a"] }), wantOK: true},
		{name: "node replaced", claims: with(func(c *TokenClaims) { c.Node = objs.nodes["node-a"] }),
			mutate:  func(o *objects) { o.nodes["node-a"] = &corev1.Node{ObjectMeta: meta("", "node-a", "n2")} },
			wantErr: "node UID (n2) does not match service account node ref claim (node-uid)"},
		{name: "pod's node is not looked up", claims: with(func(c *TokenClaims) { c.Pod = objs.pods["default/web-0"]; c.Node = objs.nodes["node-a"] }),
			mutate: func(o *objects) { delete(o.nodes, "node-a") }, wantOK: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			issuer := tt.issuer
			if issuer == nil {
				issuer = iss
			}
			token, _, err := issuer.Issue(tt.claims)
			if err != nil {
				t.Fatal(err)
			}
			o := newObjects()
			if tt.mutate != nil {
				tt.mutate(o)
			}
			var now func() time.Time
			if !tt.now.IsZero() {
				now = func() time.Time { return tt.now }
			}
			v := newVerifier(t, o, []crypto.PublicKey{key.Public()}, nil, now)
			ctx := tt.ctx
			if ctx == nil {
				ctx = context.Background()
			}
			u, ok, err := v.AuthenticateToken(ctx, token)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got %v %v, want error %q", ok, err, tt.wantErr)
				}
				return
			}
			if err != nil || ok != tt.wantOK {
				t.Fatalf("got %+v %v %v, want ok=%v", u, ok, err, tt.wantOK)
			}
		})
	}
}

func TestVerifyNotAToken(t *testing.T) {
	v := newVerifier(t, newObjects(), []crypto.PublicKey{testECKey(t, elliptic.P256()).Public()}, nil, nil)
	for _, tok := range []string{"", "abc", "a.b.c", "a.b", `{"payload":"x"}`, "abc123,token",
		"eyJhbGciOiJub25lIn0." + base64.RawURLEncoding.EncodeToString([]byte(`{"iss":"`+testIssuer+`"}`)) + "."} {
		if u, ok, err := v.AuthenticateToken(context.Background(), tok); ok || err != nil {
			t.Errorf("%q: %v %v %v", tok, u, ok, err)
		}
	}
}

func TestStaleToken(t *testing.T) {
	key := testECKey(t, elliptic.P256())
	iss, _ := NewIssuer(testIssuer, key)
	objs := newObjects()
	exp, warn := TokenExpiration(WarnOnlyBoundTokenExpirationSeconds, true, true, []string{testIssuer}, []string{testIssuer})
	token, _, err := iss.Issue(TokenClaims{ServiceAccount: objs.sas["default/builder"], Pod: objs.pods["default/web-0"],
		Audiences: []string{testIssuer}, ExpirationSeconds: exp, WarnAfterSeconds: warn})
	if err != nil {
		t.Fatal(err)
	}
	m, _ := NewMetrics(nil)
	v := newVerifier(t, objs, []crypto.PublicKey{key.Public()}, m, func() time.Time { return time.Now().Add(2 * time.Hour) })
	if _, ok, err := v.AuthenticateToken(context.Background(), token); !ok || err != nil {
		t.Fatalf("extended token refused: %v", err)
	}
	if testutil.ToFloat64(m.staleTokens) != 1 || testutil.ToFloat64(m.validTokens) != 0 {
		t.Errorf("stale %v valid %v", testutil.ToFloat64(m.staleTokens), testutil.ToFloat64(m.validTokens))
	}
}

// legacyToken signs a Secret-kept token as the legacy token controller does.
func legacyToken(t *testing.T, key crypto.Signer, claims map[string]any) string {
	t.Helper()
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: key}, nil)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := jwt.Signed(signer).Claims(claims).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestLegacyTokens(t *testing.T) {
	key := testECKey(t, elliptic.P256())
	claims := func() map[string]any {
		return map[string]any{
			"iss": LegacyIssuer, "sub": "system:serviceaccount:default:builder",
			"kubernetes.io/serviceaccount/namespace":            "default",
			"kubernetes.io/serviceaccount/secret.name":          "builder-token",
			"kubernetes.io/serviceaccount/service-account.name": "builder",
			"kubernetes.io/serviceaccount/service-account.uid":  "sa-uid",
		}
	}
	good := legacyToken(t, key, claims())
	badSub := claims()
	badSub["sub"] = "system:serviceaccount:default:other"
	noSecret := claims()
	delete(noSecret, "kubernetes.io/serviceaccount/secret.name")
	withSecret := func(tok string, labels map[string]string) func(o *objects) {
		return func(o *objects) {
			s := &corev1.Secret{ObjectMeta: meta("default", "builder-token", "s"), Data: map[string][]byte{"token": []byte(tok)}}
			s.Labels = labels
			o.secrets["default/builder-token"] = s
		}
	}
	tests := []struct {
		name    string
		token   string
		legacy  bool
		mutate  func(o *objects)
		wantOK  bool
		wantErr string
	}{
		{name: "good", token: good, legacy: true, mutate: withSecret(good, nil), wantOK: true},
		{name: "legacy off", token: good, mutate: withSecret(good, nil)},
		{name: "secret gone", token: good, legacy: true, wantErr: "token has been invalidated"},
		{name: "secret holds another token", token: good, legacy: true, mutate: withSecret("other", nil), wantErr: "token does not match server's copy"},
		{name: "invalidated", token: good, legacy: true, mutate: withSecret(good, map[string]string{LegacyTokenInvalidatedLabel: "2024-01-01"}), wantErr: "token has been invalidated"},
		{name: "bad subject", token: legacyToken(t, key, badSub), legacy: true, wantErr: "sub claim is invalid"},
		{name: "missing secret claim", token: legacyToken(t, key, noSecret), legacy: true, wantErr: "secretName claim is missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := newObjects()
			if tt.mutate != nil {
				tt.mutate(o)
			}
			v, err := NewServiceAccountTokens(nil, ServiceAccountTokenOptions{
				Keys: []crypto.PublicKey{key.Public()}, Issuers: []string{testIssuer}, Legacy: tt.legacy, Lookup: true, Getters: o.getters(),
			})
			if err != nil {
				t.Fatal(err)
			}
			u, ok, err := v.AuthenticateToken(context.Background(), tt.token)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got %v %v, want %q", ok, err, tt.wantErr)
				}
				return
			}
			if err != nil || ok != tt.wantOK {
				t.Fatalf("got %v %v", ok, err)
			}
			if ok && (u.Name != "system:serviceaccount:default:builder" || u.UID != "sa-uid" || len(u.Extra) != 0) {
				t.Errorf("user %+v", u)
			}
		})
	}
}
