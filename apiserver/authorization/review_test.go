package authorization

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/skiff-dev/skiff/apiserver/authentication"
	authorizationv1 "k8s.io/api/authorization/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
)

func TestReviews(t *testing.T) {
	spec := authorizationv1.SubjectAccessReviewSpec{
		User: "bob", UID: "1", Groups: []string{"devs"}, Extra: map[string]authorizationv1.ExtraValue{"scopes": {"a"}},
		ResourceAttributes: &authorizationv1.ResourceAttributes{Namespace: "ns", Verb: "get", Group: "apps", Resource: "deployments", Subresource: "scale", Name: "web"},
	}
	u := ReviewUser(spec)
	if u.Name != "bob" || u.UID != "1" || u.Groups[0] != "devs" || u.Extra["scopes"][0] != "a" {
		t.Errorf("user %+v", u)
	}
	a := ReviewAttributes(u, spec.ResourceAttributes, nil)
	want := Attributes{User: u, Verb: "get", ResourceRequest: true, Namespace: "ns", APIGroup: "apps", APIVersion: "*", Resource: "deployments", Subresource: "scale", Name: "web"}
	if a != want {
		t.Errorf("attributes %+v", a)
	}
	if a := ReviewAttributes(u, nil, &authorizationv1.NonResourceAttributes{Path: "/metrics", Verb: "get"}); a.ResourceRequest || a.Path != "/metrics" || a.Verb != "get" {
		t.Errorf("non-resource %+v", a)
	}
	if a := ReviewAttributes(u, nil, nil); a.ResourceRequest || a.Verb != "" {
		t.Errorf("nothing %+v", a)
	}

	for _, tt := range []struct {
		z    Authorizer
		want authorizationv1.SubjectAccessReviewStatus
	}{
		{AlwaysAllow{}, authorizationv1.SubjectAccessReviewStatus{Allowed: true}},
		{AlwaysDeny{}, authorizationv1.SubjectAccessReviewStatus{Reason: "Everything is forbidden."}},
		{AuthorizerFunc(func(context.Context, Attributes) (Decision, string, error) { return Deny, "no", errors.New("partial") }),
			authorizationv1.SubjectAccessReviewStatus{Denied: true, Reason: "no", EvaluationError: "partial"}},
	} {
		if got := ReviewAccess(context.Background(), tt.z, a); got != tt.want {
			t.Errorf("got %+v, want %+v", got, tt.want)
		}
	}

	if _, err := ReviewRules(context.Background(), AlwaysDeny{}, u, ""); !apierrors.IsBadRequest(err) {
		t.Errorf("no namespace: %v", err)
	}
	status, err := ReviewRules(context.Background(), AlwaysDeny{}, &authentication.User{Name: "x"}, "default")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(status)
	if !strings.Contains(string(b), `"resourceRules":[]`) || !strings.Contains(string(b), `"nonResourceRules":[]`) {
		t.Errorf("empty rules marshal as %s", b)
	}
}
