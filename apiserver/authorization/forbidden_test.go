package authorization

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/skiff-dev/skiff/apiserver/authentication"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestForbidden(t *testing.T) {
	bob := &authentication.User{Name: "bob"}
	tests := []struct {
		name    string
		attrs   Attributes
		reason  string
		message string
		details string
	}{
		{
			name:    "namespaced",
			attrs:   Attributes{User: bob, Verb: "get", ResourceRequest: true, Namespace: "default", APIVersion: "v1", Resource: "pods", Name: "x"},
			message: `pods "x" is forbidden: User "bob" cannot get resource "pods" in API group "" in the namespace "default"`,
			details: `{"name":"x","kind":"pods"}`,
		},
		{
			name:    "list, no name",
			attrs:   Attributes{User: bob, Verb: "list", ResourceRequest: true, Namespace: "kube-system", APIGroup: "apps", APIVersion: "v1", Resource: "deployments"},
			message: `deployments.apps is forbidden: User "bob" cannot list resource "deployments" in API group "apps" in the namespace "kube-system"`,
			details: `{"group":"apps","kind":"deployments"}`,
		},
		{
			name:    "cluster scope",
			attrs:   Attributes{User: bob, Verb: "list", ResourceRequest: true, APIVersion: "v1", Resource: "nodes"},
			message: `nodes is forbidden: User "bob" cannot list resource "nodes" in API group "" at the cluster scope`,
			details: `{"kind":"nodes"}`,
		},
		{
			name:    "subresource",
			attrs:   Attributes{User: bob, Verb: "create", ResourceRequest: true, Namespace: "default", APIVersion: "v1", Resource: "pods", Subresource: "exec", Name: "web"},
			message: `pods "web" is forbidden: User "bob" cannot create resource "pods/exec" in API group "" in the namespace "default"`,
			details: `{"name":"web","kind":"pods"}`,
		},
		{
			name:    "cluster-scoped named, with reason",
			attrs:   Attributes{User: bob, Verb: "delete", ResourceRequest: true, APIGroup: "rbac.authorization.k8s.io", APIVersion: "v1", Resource: "clusterroles", Name: "admin"},
			reason:  `RBAC: clusterrole.rbac.authorization.k8s.io "gone" not found`,
			message: `clusterroles.rbac.authorization.k8s.io "admin" is forbidden: User "bob" cannot delete resource "clusterroles" in API group "rbac.authorization.k8s.io" at the cluster scope: RBAC: clusterrole.rbac.authorization.k8s.io "gone" not found`,
			details: `{"name":"admin","group":"rbac.authorization.k8s.io","kind":"clusterroles"}`,
		},
		{
			name:    "non-resource",
			attrs:   Attributes{User: &authentication.User{Name: "system:anonymous"}, Verb: "get", Path: "/metrics"},
			message: `forbidden: User "system:anonymous" cannot get path "/metrics"`,
			details: `{}`,
		},
		{
			name:    "sanitized",
			attrs:   Attributes{User: &authentication.User{Name: "<script>&"}, Verb: "get", Path: "/x"},
			message: `forbidden: User "&lt;script&gt;&amp;" cannot get path "/x"`,
			details: `{}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Forbidden(tt.attrs, tt.reason)
			s := err.ErrStatus
			if s.Message != tt.message {
				t.Errorf("message\n%s\nwant\n%s", s.Message, tt.message)
			}
			if s.Code != 403 || s.Reason != metav1.StatusReasonForbidden || s.Status != metav1.StatusFailure {
				t.Errorf("status %+v", s)
			}
			d, _ := json.Marshal(s.Details)
			if string(d) != tt.details {
				t.Errorf("details %s, want %s", d, tt.details)
			}
		})
	}
}

func TestCheck(t *testing.T) {
	attrs := Attributes{User: &authentication.User{Name: "bob"}, Verb: "get", ResourceRequest: true, Namespace: "ns", Resource: "pods", Name: "p"}
	boom := errors.New("webhook down")
	tests := []struct {
		z         Authorizer
		wantNil   bool
		forbidden string
		internal  bool
	}{
		{z: fixed{d: Allow, err: boom}, wantNil: true},
		{z: fixed{d: NoOpinion, reason: "RBAC: x"}, forbidden: `pods "p" is forbidden: User "bob" cannot get resource "pods" in API group "" in the namespace "ns": RBAC: x`},
		{z: fixed{d: Deny}, forbidden: `pods "p" is forbidden: User "bob" cannot get resource "pods" in API group "" in the namespace "ns"`},
		{z: fixed{d: NoOpinion, err: boom}, internal: true},
	}
	for i, tt := range tests {
		err := Check(context.Background(), tt.z, attrs)
		switch {
		case tt.wantNil && err != nil:
			t.Errorf("%d: %v", i, err)
		case tt.forbidden != "" && (!apierrors.IsForbidden(err) || err.Error() != tt.forbidden):
			t.Errorf("%d: %v", i, err)
		case tt.internal && (!errors.Is(err, boom) || apierrors.IsForbidden(err)):
			t.Errorf("%d: %v", i, err)
		}
	}
}
