package subresource

import (
	"net/http"
	"testing"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	authenticationv1 "k8s.io/api/authentication/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/skiff-dev/skiff/apiserver/authentication"
	"github.com/skiff-dev/skiff/apiserver/endpoints"
)

// lifetime reads a token's exp and warnafter claims as seconds after its
// iat (warnAfter 0: none), without verifying it.
func lifetime(t *testing.T, token string) (exp, warnAfter int64) {
	t.Helper()
	tok, err := jwt.ParseSigned(token, []jose.SignatureAlgorithm{jose.ES256})
	if err != nil {
		t.Fatal(err)
	}
	var c struct {
		jwt.Claims
		Kubernetes struct {
			WarnAfter *jwt.NumericDate `json:"warnafter"`
		} `json:"kubernetes.io"`
	}
	if err := tok.UnsafeClaimsWithoutVerification(&c); err != nil {
		t.Fatal(err)
	}
	iat := c.IssuedAt.Time().Unix()
	if c.Kubernetes.WarnAfter != nil {
		warnAfter = c.Kubernetes.WarnAfter.Time().Unix() - iat
	}
	return c.Expiry.Time().Unix() - iat, warnAfter
}

// TestTokenLifetimes: --service-account-max-token-expiration caps what a
// TokenRequest gets (with a warning), and
// --service-account-extend-token-expiration extends the kubelet's
// pod-bound tokens for the API's audiences to a year, whatever the cap.
func TestTokenLifetimes(t *testing.T) {
	const (
		hour     = 3600
		kubelets = authentication.WarnOnlyBoundTokenExpirationSeconds
		year     = authentication.ExpirationExtensionSeconds
	)
	e := newEnv(t)
	cfg, _ := newTokenOptions(t, e)
	e.create("serviceaccounts", "ns", &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: "default"}})
	pod := e.createPod("ns", "p", func(p *corev1.Pod) { p.Spec.ServiceAccountName = "default"; p.Spec.NodeName = "n1" })
	secret := e.create("secrets", "ns", &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "s"}})
	podRef := &authenticationv1.BoundObjectReference{Kind: "Pod", APIVersion: "v1", Name: "p", UID: pod.UID}
	secretRef := &authenticationv1.BoundObjectReference{Kind: "Secret", APIVersion: "v1", Name: "s", UID: secret.GetUID()}

	tests := []struct {
		name      string
		max       int64
		noExtend  bool
		spec      authenticationv1.TokenRequestSpec
		exp, warn int64 // the token's
		asked     int64 // spec.expirationSeconds answered
		warning   string
	}{
		{name: "the kubelet's token is extended", spec: authenticationv1.TokenRequestSpec{ExpirationSeconds: seconds(kubelets), BoundObjectRef: podRef},
			exp: year, warn: kubelets, asked: kubelets},
		{name: "extended past a longer cap", max: 2 * hour, spec: authenticationv1.TokenRequestSpec{ExpirationSeconds: seconds(kubelets), BoundObjectRef: podRef},
			exp: year, warn: kubelets, asked: kubelets},
		{name: "extended to a year under a cap of two", max: 2 * year, spec: authenticationv1.TokenRequestSpec{ExpirationSeconds: seconds(kubelets), BoundObjectRef: podRef},
			exp: year, warn: kubelets, asked: kubelets},
		{name: "a cap under the kubelet's lifetime leaves nothing to extend", max: hour,
			spec: authenticationv1.TokenRequestSpec{ExpirationSeconds: seconds(kubelets), BoundObjectRef: podRef},
			exp:  hour, asked: hour, warning: `299 - "requested expiration of 3607 seconds shortened to 3600 seconds"`},
		{name: "extension off", noExtend: true, spec: authenticationv1.TokenRequestSpec{ExpirationSeconds: seconds(kubelets), BoundObjectRef: podRef},
			exp: kubelets, asked: kubelets},
		{name: "not bound to a pod", spec: authenticationv1.TokenRequestSpec{ExpirationSeconds: seconds(kubelets), BoundObjectRef: secretRef},
			exp: kubelets, asked: kubelets},
		{name: "another audience", spec: authenticationv1.TokenRequestSpec{ExpirationSeconds: seconds(kubelets), BoundObjectRef: podRef, Audiences: []string{"vault"}},
			exp: kubelets, asked: kubelets},
		{name: "capped", max: 2 * hour, spec: authenticationv1.TokenRequestSpec{ExpirationSeconds: seconds(10 * hour)},
			exp: 2 * hour, asked: 2 * hour, warning: `299 - "requested expiration of 36000 seconds shortened to 7200 seconds"`},
		{name: "under the cap", max: 2 * hour, spec: authenticationv1.TokenRequestSpec{ExpirationSeconds: seconds(hour)},
			exp: hour, asked: hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := cfg
			c.MaxExpirationSeconds, c.ExtendExpiration = tt.max, !tt.noExtend
			srv := e.serve(endpoints.WithSubresource(serviceAccounts, "token", NewToken(nil, e.codecs, c)))
			resp := post(t, srv, "/api/v1/namespaces/ns/serviceaccounts/default/token", tokenRequest(tt.spec))
			var tr authenticationv1.TokenRequest
			resp.into(t, &tr)
			if resp.code != http.StatusCreated {
				t.Fatalf("%d %s", resp.code, resp.body)
			}
			if exp, warn := lifetime(t, tr.Status.Token); exp != tt.exp || warn != tt.warn {
				t.Errorf("token lives %ds warning after %ds, want %ds and %ds", exp, warn, tt.exp, tt.warn)
			}
			if *tr.Spec.ExpirationSeconds != tt.asked {
				t.Errorf("spec.expirationSeconds %d, want %d", *tr.Spec.ExpirationSeconds, tt.asked)
			}
			reported := tr.Status.ExpirationTimestamp.Sub(tr.CreationTimestamp.Time).Seconds()
			if int64(reported) < tt.asked-1 || int64(reported) > tt.asked+1 {
				t.Errorf("status reports %vs, want the %ds asked", reported, tt.asked)
			}
			if got := resp.header.Get("Warning"); got != tt.warning {
				t.Errorf("Warning %q, want %q", got, tt.warning)
			}
		})
	}
}
