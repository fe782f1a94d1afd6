package authentication

import (
	"context"
	"crypto"
	"crypto/elliptic"
	"reflect"
	"testing"

	authenticationv1 "k8s.io/api/authentication/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
)

func TestReviewToken(t *testing.T) {
	key := testECKey(t, elliptic.P256())
	iss, _ := NewIssuer(testIssuer, key)
	objs := newObjects()
	sat, err := NewServiceAccountTokens(nil, ServiceAccountTokenOptions{
		Keys: []crypto.PublicKey{key.Public()}, Issuers: []string{testIssuer}, Getters: objs.getters(),
	})
	if err != nil {
		t.Fatal(err)
	}
	api := []string{testIssuer}
	auth := New(Config{
		Anonymous:       true,
		TokenFile:       NewStaticTokens(map[string]*User{"static": {Name: "alice", UID: "1", Groups: []string{"devs"}}}),
		ServiceAccounts: sat,
		APIAudiences:    api,
	})
	saToken, _, err := iss.Issue(TokenClaims{ServiceAccount: objs.sas["default/builder"], Audiences: []string{testIssuer, "vault"}, ExpirationSeconds: 600})
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name      string
		spec      authenticationv1.TokenReviewSpec
		want      authenticationv1.TokenReviewStatus
		wantBadRq bool
	}{
		{name: "no token", wantBadRq: true},
		{name: "static token", spec: authenticationv1.TokenReviewSpec{Token: "static"}, want: authenticationv1.TokenReviewStatus{
			Authenticated: true, Audiences: api,
			User: authenticationv1.UserInfo{Username: "alice", UID: "1", Groups: []string{"devs", AllAuthenticated}, Extra: map[string]authenticationv1.ExtraValue{}},
		}},
		{name: "static token for another audience", spec: authenticationv1.TokenReviewSpec{Token: "static", Audiences: []string{"vault"}},
			want: authenticationv1.TokenReviewStatus{Error: "invalid bearer token"}},
		{name: "service account token for vault", spec: authenticationv1.TokenReviewSpec{Token: saToken, Audiences: []string{"vault"}}, want: authenticationv1.TokenReviewStatus{
			Authenticated: true, Audiences: []string{"vault"},
			User: authenticationv1.UserInfo{Username: "system:serviceaccount:default:builder", UID: "sa-uid",
				Groups: []string{AllServiceAccountsGroup, "system:serviceaccounts:default", AllAuthenticated},
				Extra:  map[string]authenticationv1.ExtraValue{ExtraCredentialID: {"JTI=" + jtiOf(t, saToken)}}},
		}},
		{name: "service account token for another audience", spec: authenticationv1.TokenReviewSpec{Token: saToken, Audiences: []string{"nats"}},
			want: authenticationv1.TokenReviewStatus{Error: `token audiences ["` + testIssuer + `" "vault"] is invalid for the target audiences ["nats"]`}},
		{name: "unknown token is not anonymous", spec: authenticationv1.TokenReviewSpec{Token: "nope"},
			want: authenticationv1.TokenReviewStatus{Error: "invalid bearer token"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			review := &authenticationv1.TokenReview{Spec: tt.spec}
			err := ReviewToken(context.Background(), auth, api, review)
			if tt.wantBadRq {
				if !apierrors.IsBadRequest(err) || err.Error() != "token is required for TokenReview in authentication" {
					t.Fatalf("err %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(review.Status, tt.want) {
				t.Errorf("status\n%+v\nwant\n%+v", review.Status, tt.want)
			}
		})
	}
}

func jtiOf(t *testing.T, token string) string {
	_, payload := decodeJWT(t, token)
	return payload["jti"].(string)
}
