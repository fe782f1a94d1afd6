package review

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"go.uber.org/zap/zaptest"
	authenticationv1 "k8s.io/api/authentication/v1"
	authorizationv1 "k8s.io/api/authorization/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/skiff-dev/skiff/apiserver/authentication"
	"github.com/skiff-dev/skiff/apiserver/authorization"
	"github.com/skiff-dev/skiff/apiserver/endpoints"
	"github.com/skiff-dev/skiff/apiserver/scheme"
)

// alice may get pods in "ns"; bob is denied everything explicitly; the
// rest has no opinion.
func fakeAuthorizer(seen *[]authorization.Attributes) authorization.Authorizer {
	return authorization.AuthorizerFunc(func(_ context.Context, a authorization.Attributes) (authorization.Decision, string, error) {
		*seen = append(*seen, a)
		switch {
		case a.User.Name == "alice" && a.Verb == "get" && a.Resource == "pods" && a.Namespace == "ns":
			return authorization.Allow, "allowed by test", nil
		case a.User.Name == "bob":
			return authorization.Deny, "bob may not", errors.New("partial failure")
		}
		return authorization.NoOpinion, "", nil
	})
}

// fakeRules lists one rule per namespace for everyone.
type fakeRules struct{}

func (fakeRules) RulesFor(_ context.Context, u *authentication.User, ns string) ([]authorizationv1.ResourceRule, []authorizationv1.NonResourceRule, bool, error) {
	return []authorizationv1.ResourceRule{{Verbs: []string{"get"}, APIGroups: []string{""}, Resources: []string{"pods"}, ResourceNames: []string{u.Name + "-" + ns}}},
		nil, true, errors.New("one authorizer could not list its rules")
}

var alice = &authentication.User{Name: "alice", UID: "u1", Groups: []string{"devs", authentication.AllAuthenticated}, Extra: map[string][]string{"scopes": {"a"}}}

// server serves the reviews of cfg, every request made by alice.
func server(t *testing.T, cfg Config) *httptest.Server {
	var opts []endpoints.Option
	for _, e := range Endpoints(cfg) {
		opts = append(opts, endpoints.WithCreator(e.GVR, e.GroupVersionKind(), e.Creator))
	}
	h := endpoints.NewHandler(zaptest.NewLogger(t), scheme.NewCodecs(scheme.New()), nil, opts...)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := endpoints.WithRequestInfo(authentication.WithUser(r.Context(), alice), endpoints.ParseRequestInfo(r))
		h.ServeHTTP(w, r.WithContext(ctx))
	}))
	t.Cleanup(srv.Close)
	return srv
}

func post(t *testing.T, srv *httptest.Server, path string, body any, out any) (int, string) {
	t.Helper()
	data, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := srv.Client().Post(srv.URL+path, "application/json", bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if out != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("decode %s: %v", raw, err)
		}
	}
	return resp.StatusCode, string(raw)
}

func testConfig(seen *[]authorization.Attributes) Config {
	tokens := authentication.NewStaticTokens(map[string]*authentication.User{"good": {Name: "carol", UID: "c1", Groups: []string{"ops"}}})
	return Config{
		Authenticator: authentication.New(authentication.Config{TokenFile: tokens, APIAudiences: []string{"api"}}),
		APIAudiences:  []string{"api"},
		Authorizer:    fakeAuthorizer(seen),
		Rules:         fakeRules{},
	}
}

func TestTokenReview(t *testing.T) {
	var seen []authorization.Attributes
	srv := server(t, testConfig(&seen))
	path := "/apis/authentication.k8s.io/v1/tokenreviews"
	var tr authenticationv1.TokenReview
	code, body := post(t, srv, path, authenticationv1.TokenReview{Spec: authenticationv1.TokenReviewSpec{Token: "good"}}, &tr)
	if code != http.StatusCreated || !tr.Status.Authenticated || tr.Status.User.Username != "carol" || tr.Kind != "TokenReview" ||
		len(tr.Status.Audiences) != 1 || tr.Status.Audiences[0] != "api" {
		t.Fatalf("good token: %d %s", code, body)
	}
	tr = authenticationv1.TokenReview{}
	code, body = post(t, srv, path, authenticationv1.TokenReview{Spec: authenticationv1.TokenReviewSpec{Token: "bad"}}, &tr)
	if code != http.StatusCreated || tr.Status.Authenticated || tr.Status.Error == "" {
		t.Errorf("bad token: %d %s", code, body)
	}
	tr = authenticationv1.TokenReview{}
	code, body = post(t, srv, path, authenticationv1.TokenReview{Spec: authenticationv1.TokenReviewSpec{Token: "good", Audiences: []string{"elsewhere"}}}, &tr)
	if code != http.StatusCreated || tr.Status.Authenticated {
		t.Errorf("a static token is not meant for other audiences: %d %s", code, body)
	}
	if code, body := post(t, srv, path, authenticationv1.TokenReview{}, nil); code != http.StatusBadRequest ||
		!strings.Contains(body, "token is required for TokenReview in authentication.k8s.io") {
		t.Errorf("no token: %d %s", code, body)
	}
	if code, body := post(t, srv, "/apis/authentication.k8s.io/v1/namespaces/ns/tokenreviews", authenticationv1.TokenReview{Spec: authenticationv1.TokenReviewSpec{Token: "good"}}, nil); code != http.StatusNotFound {
		t.Errorf("in a namespace: %d %s", code, body)
	}
	if code, _ := post(t, server(t, Config{}), path, authenticationv1.TokenReview{Spec: authenticationv1.TokenReviewSpec{Token: "good"}}, &tr); code != http.StatusCreated {
		t.Errorf("without an authenticator: %d", code)
	}
}

func TestSelfSubjectReview(t *testing.T) {
	srv := server(t, Config{})
	var r authenticationv1.SelfSubjectReview
	code, body := post(t, srv, "/apis/authentication.k8s.io/v1/selfsubjectreviews", map[string]any{"apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"}, &r)
	u := r.Status.UserInfo
	if code != http.StatusCreated || u.Username != "alice" || u.UID != "u1" || len(u.Groups) != 2 || u.Extra["scopes"][0] != "a" || r.CreationTimestamp.IsZero() {
		t.Errorf("%d %s", code, body)
	}
	if _, err := (SelfSubjectReview{}).Create(context.Background(), "", &authenticationv1.SelfSubjectReview{}, false); err == nil ||
		!strings.Contains(err.Error(), "no user present on request") {
		t.Errorf("without a user: %v", err)
	}
}

func TestAccessReviews(t *testing.T) {
	var seen []authorization.Attributes
	srv := server(t, testConfig(&seen))
	res := &authorizationv1.ResourceAttributes{Namespace: "ns", Verb: "get", Resource: "pods", Name: "p"}

	var sar authorizationv1.SubjectAccessReview
	code, body := post(t, srv, "/apis/authorization.k8s.io/v1/subjectaccessreviews", authorizationv1.SubjectAccessReview{
		Spec: authorizationv1.SubjectAccessReviewSpec{User: "alice", Groups: []string{"devs"}, ResourceAttributes: res},
	}, &sar)
	if code != http.StatusCreated || !sar.Status.Allowed || sar.Status.Reason != "allowed by test" {
		t.Fatalf("SAR: %d %s", code, body)
	}
	if a := seen[len(seen)-1]; a.APIVersion != "*" || a.Name != "p" || a.User.Groups[0] != "devs" {
		t.Errorf("attributes asked %+v", a)
	}
	sar = authorizationv1.SubjectAccessReview{}
	code, body = post(t, srv, "/apis/authorization.k8s.io/v1/subjectaccessreviews", authorizationv1.SubjectAccessReview{
		Spec: authorizationv1.SubjectAccessReviewSpec{User: "bob", NonResourceAttributes: &authorizationv1.NonResourceAttributes{Path: "/metrics", Verb: "get"}},
	}, &sar)
	if code != http.StatusCreated || sar.Status.Allowed || !sar.Status.Denied || sar.Status.EvaluationError != "partial failure" {
		t.Errorf("denied SAR: %d %s", code, body)
	}

	// kubectl auth can-i create pods; kubectl auth can-i get pods -n ns
	var ssar authorizationv1.SelfSubjectAccessReview
	code, body = post(t, srv, "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", authorizationv1.SelfSubjectAccessReview{
		Spec: authorizationv1.SelfSubjectAccessReviewSpec{ResourceAttributes: &authorizationv1.ResourceAttributes{Namespace: "ns", Verb: "create", Resource: "pods"}},
	}, &ssar)
	if code != http.StatusCreated || ssar.Status.Allowed || seen[len(seen)-1].User != alice {
		t.Errorf("SSAR create: %d %s", code, body)
	}
	ssar = authorizationv1.SelfSubjectAccessReview{}
	code, body = post(t, srv, "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", authorizationv1.SelfSubjectAccessReview{
		Spec: authorizationv1.SelfSubjectAccessReviewSpec{ResourceAttributes: res},
	}, &ssar)
	if code != http.StatusCreated || !ssar.Status.Allowed {
		t.Errorf("SSAR get: %d %s", code, body)
	}

	var lsar authorizationv1.LocalSubjectAccessReview
	code, body = post(t, srv, "/apis/authorization.k8s.io/v1/namespaces/ns/localsubjectaccessreviews", authorizationv1.LocalSubjectAccessReview{
		Spec: authorizationv1.SubjectAccessReviewSpec{User: "alice", ResourceAttributes: res},
	}, &lsar)
	if code != http.StatusCreated || !lsar.Status.Allowed || lsar.Namespace != "ns" {
		t.Errorf("LSAR: %d %s", code, body)
	}

	for _, tt := range []struct {
		name, path string
		body       any
		code       int
		want       string
	}{
		{"SAR without user", "/apis/authorization.k8s.io/v1/subjectaccessreviews",
			authorizationv1.SubjectAccessReview{Spec: authorizationv1.SubjectAccessReviewSpec{ResourceAttributes: res}},
			http.StatusUnprocessableEntity, `SubjectAccessReview.authorization.k8s.io "" is invalid: spec.user: Invalid value: "": at least one of user or group must be specified`},
		{"SAR without attributes", "/apis/authorization.k8s.io/v1/subjectaccessreviews",
			authorizationv1.SubjectAccessReview{Spec: authorizationv1.SubjectAccessReviewSpec{User: "a"}},
			http.StatusUnprocessableEntity, "spec.resourceAttributes: Invalid value: \"null\": exactly one of nonResourceAttributes or resourceAttributes must be specified"},
		{"SAR with both", "/apis/authorization.k8s.io/v1/subjectaccessreviews",
			authorizationv1.SubjectAccessReview{Spec: authorizationv1.SubjectAccessReviewSpec{User: "a", ResourceAttributes: res, NonResourceAttributes: &authorizationv1.NonResourceAttributes{Path: "/"}}},
			http.StatusUnprocessableEntity, "cannot be specified in combination with resourceAttributes"},
		{"SAR with a name", "/apis/authorization.k8s.io/v1/subjectaccessreviews",
			authorizationv1.SubjectAccessReview{ObjectMeta: metav1.ObjectMeta{Name: "x"}, Spec: authorizationv1.SubjectAccessReviewSpec{User: "a", ResourceAttributes: res}},
			http.StatusUnprocessableEntity, "metadata: Invalid value: v1.ObjectMeta{Name:\"x\""},
		{"SAR in a namespace", "/apis/authorization.k8s.io/v1/namespaces/ns/subjectaccessreviews",
			authorizationv1.SubjectAccessReview{Spec: authorizationv1.SubjectAccessReviewSpec{User: "a", ResourceAttributes: res}},
			http.StatusNotFound, "the server could not find the requested resource"},
		{"LSAR other namespace in attributes", "/apis/authorization.k8s.io/v1/namespaces/ns/localsubjectaccessreviews",
			authorizationv1.LocalSubjectAccessReview{Spec: authorizationv1.SubjectAccessReviewSpec{User: "a", ResourceAttributes: &authorizationv1.ResourceAttributes{Namespace: "other", Verb: "get"}}},
			http.StatusUnprocessableEntity, `spec.resourceAttributes.namespace: Invalid value: "other": must match metadata.namespace`},
		{"LSAR other namespace in metadata", "/apis/authorization.k8s.io/v1/namespaces/ns/localsubjectaccessreviews",
			authorizationv1.LocalSubjectAccessReview{ObjectMeta: metav1.ObjectMeta{Namespace: "other"}, Spec: authorizationv1.SubjectAccessReviewSpec{User: "a", ResourceAttributes: res}},
			http.StatusBadRequest, "the namespace of the provided object does not match the namespace sent on the request"},
		{"LSAR non-resource", "/apis/authorization.k8s.io/v1/namespaces/ns/localsubjectaccessreviews",
			authorizationv1.LocalSubjectAccessReview{Spec: authorizationv1.SubjectAccessReviewSpec{User: "a", NonResourceAttributes: &authorizationv1.NonResourceAttributes{Path: "/"}}},
			http.StatusUnprocessableEntity, "spec.nonResourceAttributes: Invalid value"},
		{"LSAR outside a namespace", "/apis/authorization.k8s.io/v1/localsubjectaccessreviews",
			authorizationv1.LocalSubjectAccessReview{Spec: authorizationv1.SubjectAccessReviewSpec{User: "a", ResourceAttributes: res}},
			http.StatusNotFound, "the server could not find the requested resource"},
		{"SSAR without attributes", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
			authorizationv1.SelfSubjectAccessReview{}, http.StatusUnprocessableEntity,
			`SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes`},
		{"SSRR without namespace", "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews",
			authorizationv1.SelfSubjectRulesReview{}, http.StatusBadRequest, "no namespace on request"},
		{"wrong kind", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
			map[string]any{"apiVersion": "authorization.k8s.io/v1", "kind": "SubjectAccessReview"}, http.StatusBadRequest,
			"the kind in the data (SubjectAccessReview) does not match the expected kind (SelfSubjectAccessReview)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, body := post(t, srv, tt.path, tt.body, nil)
			var st metav1.Status
			if err := json.Unmarshal([]byte(body), &st); err != nil {
				t.Fatalf("not a Status: %d %s", code, body)
			}
			if code != tt.code || int(st.Code) != tt.code || !strings.Contains(st.Message, tt.want) {
				t.Errorf("got %d %q, want %d with %q", code, st.Message, tt.code, tt.want)
			}
		})
	}
}

func TestSelfSubjectRulesReview(t *testing.T) {
	var seen []authorization.Attributes
	srv := server(t, testConfig(&seen))
	var r authorizationv1.SelfSubjectRulesReview
	code, body := post(t, srv, "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews", authorizationv1.SelfSubjectRulesReview{
		Spec: authorizationv1.SelfSubjectRulesReviewSpec{Namespace: "ns"},
	}, &r)
	if code != http.StatusCreated || len(r.Status.ResourceRules) != 1 || r.Status.ResourceRules[0].ResourceNames[0] != "alice-ns" ||
		!r.Status.Incomplete || r.Status.EvaluationError != "one authorizer could not list its rules" || r.Kind != "SelfSubjectRulesReview" {
		t.Errorf("%d %s", code, body)
	}
	if !strings.Contains(body, `"nonResourceRules":[]`) {
		t.Errorf("empty rule lists must be [] as upstream's: %s", body)
	}
}

func TestEndpoints(t *testing.T) {
	names := func(cfg Config) string {
		var out []string
		for _, e := range Endpoints(cfg) {
			out = append(out, e.GVR.Resource)
			if e.GoType == nil || e.Creator == nil || e.Kind == "" || e.SingularName == "" {
				t.Errorf("incomplete %+v", e)
			}
		}
		return strings.Join(out, ",")
	}
	if got := names(Config{}); got != "tokenreviews,selfsubjectreviews,subjectaccessreviews,localsubjectaccessreviews,selfsubjectaccessreviews,selfsubjectrulesreviews" {
		t.Errorf("all: %s", got)
	}

	// Without an authorizer or rules: no opinion, no rules, incomplete.
	srv := server(t, Config{})
	var ssar authorizationv1.SelfSubjectAccessReview
	if code, body := post(t, srv, "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", authorizationv1.SelfSubjectAccessReview{
		Spec: authorizationv1.SelfSubjectAccessReviewSpec{NonResourceAttributes: &authorizationv1.NonResourceAttributes{Path: "/", Verb: "get"}},
	}, &ssar); code != http.StatusCreated || ssar.Status.Allowed || ssar.Status.Denied {
		t.Errorf("no authorizer: %d %s", code, body)
	}
	var r authorizationv1.SelfSubjectRulesReview
	if code, body := post(t, srv, "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews", authorizationv1.SelfSubjectRulesReview{
		Spec: authorizationv1.SelfSubjectRulesReviewSpec{Namespace: "ns"},
	}, &r); code != http.StatusCreated || !r.Status.Incomplete || len(r.Status.ResourceRules) != 0 {
		t.Errorf("no rules: %d %s", code, body)
	}
}
