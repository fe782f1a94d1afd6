package subresource

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"net/http"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"go.uber.org/zap/zaptest"
	authenticationv1 "k8s.io/api/authentication/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/skiff-dev/skiff/apiserver/authentication"
	"github.com/skiff-dev/skiff/apiserver/endpoints"
)

const testIssuer = "https://kubernetes.default.svc.cluster.local"

// getters reads the objects tokens name from the env's stores.
type getters struct{ e *env }

func getTyped[T any](e *env, gr, ns, name string) (*T, error) {
	obj, err := e.store(gr).Get(context.Background(), ns, name)
	if err != nil {
		return nil, err
	}
	return any(obj).(*T), nil
}

func (g getters) GetServiceAccount(_ context.Context, ns, name string) (*corev1.ServiceAccount, error) {
	return getTyped[corev1.ServiceAccount](g.e, "serviceaccounts", ns, name)
}
func (g getters) GetPod(_ context.Context, ns, name string) (*corev1.Pod, error) {
	return getTyped[corev1.Pod](g.e, "pods", ns, name)
}
func (g getters) GetSecret(_ context.Context, ns, name string) (*corev1.Secret, error) {
	return getTyped[corev1.Secret](g.e, "secrets", ns, name)
}
func (g getters) GetNode(_ context.Context, name string) (*corev1.Node, error) {
	return getTyped[corev1.Node](g.e, "nodes", "", name)
}

func tokenRequest(spec authenticationv1.TokenRequestSpec) authenticationv1.TokenRequest {
	return authenticationv1.TokenRequest{TypeMeta: metav1.TypeMeta{APIVersion: "authentication.k8s.io/v1", Kind: "TokenRequest"}, Spec: spec}
}

func seconds(n int64) *int64 { return &n }

// newTokenOptions are the options of a token handler over e's stores,
// signing with a fresh key, extending the kubelet's tokens, with no cap.
func newTokenOptions(t *testing.T, e *env) (TokenOptions, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	issuer, err := authentication.NewIssuer(testIssuer, key)
	if err != nil {
		t.Fatal(err)
	}
	return TokenOptions{
		Issuer: issuer, APIAudiences: []string{testIssuer}, ExtendExpiration: true,
		ServiceAccounts: e.store("serviceaccounts"), Pods: e.store("pods"), Secrets: e.store("secrets"), Nodes: e.store("nodes"),
	}, key
}

func TestToken(t *testing.T) {
	e := newEnv(t)
	cfg, key := newTokenOptions(t, e)
	capped := cfg
	capped.MaxExpirationSeconds = 1000
	srv := e.serve(endpoints.WithSubresource(corev1.SchemeGroupVersion.WithResource("serviceaccounts"), "token", NewToken(zaptest.NewLogger(t), e.codecs, cfg)))
	cappedSrv := e.serve(endpoints.WithSubresource(corev1.SchemeGroupVersion.WithResource("serviceaccounts"), "token", NewToken(nil, e.codecs, capped)))
	verifier, err := authentication.NewServiceAccountTokens(zaptest.NewLogger(t), authentication.ServiceAccountTokenOptions{
		Keys: []crypto.PublicKey{key.Public()}, Issuers: []string{testIssuer},
		Getters: authentication.ObjectGetters{ServiceAccounts: getters{e}, Pods: getters{e}, Secrets: getters{e}, Nodes: getters{e}},
	})
	if err != nil {
		t.Fatal(err)
	}

	e.create("serviceaccounts", "ns", &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: "default"}})
	e.create("nodes", "", &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "n1"}})
	pod := e.createPod("ns", "p", func(p *corev1.Pod) { p.Spec.ServiceAccountName = "default"; p.Spec.NodeName = "n1" })
	e.createPod("ns", "other-sa", func(p *corev1.Pod) { p.Spec.ServiceAccountName = "builder" })
	secret := e.create("secrets", "ns", &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "s"}})
	path := "/api/v1/namespaces/ns/serviceaccounts/default/token"

	before := time.Now()
	resp := post(t, srv, path, tokenRequest(authenticationv1.TokenRequestSpec{}))
	var tr authenticationv1.TokenRequest
	resp.into(t, &tr)
	if resp.code != http.StatusCreated || tr.Status.Token == "" || tr.Kind != "TokenRequest" || tr.Name != "default" || tr.Namespace != "ns" ||
		tr.Spec.ExpirationSeconds == nil || *tr.Spec.ExpirationSeconds != 3600 || len(tr.Spec.Audiences) != 1 || tr.Spec.Audiences[0] != testIssuer {
		t.Fatalf("token request: %d %s", resp.code, resp.body)
	}
	if exp := tr.Status.ExpirationTimestamp.Time; exp.Before(before.Add(3599*time.Second)) || exp.After(time.Now().Add(3601*time.Second)) {
		t.Errorf("expirationTimestamp %v, want an hour from %v", exp, before)
	}
	u, ok, err := verifier.AuthenticateToken(context.Background(), tr.Status.Token)
	if err != nil || !ok || u.Name != "system:serviceaccount:ns:default" {
		t.Fatalf("issued token authenticates as %+v %v %v", u, ok, err)
	}

	// Bound to the pod: the token names it and its node; the kubelet's
	// 3607 seconds are extended to a year but reported as asked.
	resp = post(t, srv, path, tokenRequest(authenticationv1.TokenRequestSpec{
		ExpirationSeconds: seconds(authentication.WarnOnlyBoundTokenExpirationSeconds),
		BoundObjectRef:    &authenticationv1.BoundObjectReference{Kind: "Pod", APIVersion: "v1", Name: "p", UID: pod.UID},
	}))
	tr = authenticationv1.TokenRequest{}
	resp.into(t, &tr)
	if resp.code != http.StatusCreated {
		t.Fatalf("pod-bound: %d %s", resp.code, resp.body)
	}
	u, ok, err = verifier.AuthenticateToken(context.Background(), tr.Status.Token)
	if err != nil || !ok || u.Extra[authentication.ExtraPodName][0] != "p" || u.Extra[authentication.ExtraNodeName][0] != "n1" {
		t.Errorf("pod-bound token: %+v %v %v", u, ok, err)
	}
	if exp := expiry(t, tr.Status.Token); exp.Before(time.Now().Add(300 * 24 * time.Hour)) {
		t.Errorf("the kubelet's token expires %v, want extended to a year", exp)
	}
	if exp := tr.Status.ExpirationTimestamp.Time; exp.After(time.Now().Add(3608 * time.Second)) {
		t.Errorf("status reports %v, want the lifetime asked for", exp)
	}

	resp = post(t, srv, path, tokenRequest(authenticationv1.TokenRequestSpec{BoundObjectRef: &authenticationv1.BoundObjectReference{Kind: "Secret", APIVersion: "v1", Name: "s", UID: secret.GetUID()}}))
	if resp.code != http.StatusCreated {
		t.Errorf("secret-bound: %d %s", resp.code, resp.body)
	}
	resp = post(t, srv, path, tokenRequest(authenticationv1.TokenRequestSpec{BoundObjectRef: &authenticationv1.BoundObjectReference{Kind: "Node", APIVersion: "v1", Name: "n1"}}))
	if resp.code != http.StatusCreated {
		t.Errorf("node-bound: %d %s", resp.code, resp.body)
	}

	resp = post(t, cappedSrv, path, tokenRequest(authenticationv1.TokenRequestSpec{ExpirationSeconds: seconds(7200)}))
	tr = authenticationv1.TokenRequest{}
	resp.into(t, &tr)
	if resp.code != http.StatusCreated || *tr.Spec.ExpirationSeconds != 1000 ||
		resp.header.Get("Warning") != `299 - "requested expiration of 7200 seconds shortened to 1000 seconds"` {
		t.Errorf("capped: %d %v %s", resp.code, resp.header, resp.body)
	}

	for _, tt := range []struct {
		name, path string
		body       any
		code       int
		want       string
	}{
		{"too short", path, tokenRequest(authenticationv1.TokenRequestSpec{ExpirationSeconds: seconds(599)}), http.StatusUnprocessableEntity,
			`TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes`},
		{"too long", path, tokenRequest(authenticationv1.TokenRequestSpec{ExpirationSeconds: seconds(1<<32 + 1)}), http.StatusUnprocessableEntity,
			"may not specify a duration larger than 2^32 seconds"},
		{"missing service account", "/api/v1/namespaces/ns/serviceaccounts/nope/token", tokenRequest(authenticationv1.TokenRequestSpec{}), http.StatusNotFound,
			`serviceaccounts "nope" not found`},
		{"name mismatch", path, authenticationv1.TokenRequest{ObjectMeta: metav1.ObjectMeta{Name: "x"}}, http.StatusUnprocessableEntity,
			`metadata.name: Invalid value: "x": must match the service account name if specified`},
		{"pod of another account", path, tokenRequest(authenticationv1.TokenRequestSpec{BoundObjectRef: &authenticationv1.BoundObjectReference{Kind: "Pod", APIVersion: "v1", Name: "other-sa"}}),
			http.StatusBadRequest, `cannot bind token for serviceaccount "default" to pod running with different serviceaccount name.`},
		{"pod uid mismatch", path, tokenRequest(authenticationv1.TokenRequestSpec{BoundObjectRef: &authenticationv1.BoundObjectReference{Kind: "Pod", APIVersion: "v1", Name: "p", UID: "123"}}),
			http.StatusConflict, `Operation cannot be fulfilled on Pod "p": the UID in the bound object reference (123) does not match the UID in record. The object might have been deleted and then recreated`},
		{"missing pod", path, tokenRequest(authenticationv1.TokenRequestSpec{BoundObjectRef: &authenticationv1.BoundObjectReference{Kind: "Pod", APIVersion: "v1", Name: "gone"}}),
			http.StatusNotFound, `pods "gone" not found`},
		{"other kind", path, tokenRequest(authenticationv1.TokenRequestSpec{BoundObjectRef: &authenticationv1.BoundObjectReference{Kind: "Deployment", APIVersion: "apps/v1", Name: "d"}}),
			http.StatusBadRequest, `cannot bind token for serviceaccount "default" to object of type apps/v1, Kind=Deployment`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp := post(t, srv, tt.path, tt.body)
			if st := resp.status(t); resp.code != tt.code || !strings.Contains(st.Message, tt.want) {
				t.Errorf("got %d %q, want %d with %q", resp.code, st.Message, tt.code, tt.want)
			}
		})
	}
}

// expiry reads a token's exp claim without verifying it.
func expiry(t *testing.T, token string) time.Time {
	t.Helper()
	tok, err := jwt.ParseSigned(token, []jose.SignatureAlgorithm{jose.ES256})
	if err != nil {
		t.Fatal(err)
	}
	var c jwt.Claims
	if err := tok.UnsafeClaimsWithoutVerification(&c); err != nil {
		t.Fatal(err)
	}
	return c.Expiry.Time()
}
