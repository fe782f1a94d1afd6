package authorization

import (
	"context"
	"errors"
	"fmt"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

var sanitizer = strings.NewReplacer(`&`, "&amp;", `<`, "&lt;", `>`, "&gt;")

// ForbiddenMessage words what a forbidden request asked, as upstream:
//
//	User "bob" cannot get resource "pods" in API group "" in the namespace "default"
//	User "bob" cannot list resource "nodes" in API group "" at the cluster scope
//	User "bob" cannot create resource "pods/exec" in API group "" in the namespace "default"
//	User "bob" cannot get path "/metrics"
func ForbiddenMessage(a Attributes) string {
	username := ""
	if a.User != nil {
		username = a.User.Name
	}
	if !a.ResourceRequest {
		return fmt.Sprintf("User %q cannot %s path %q", username, a.Verb, a.Path)
	}
	resource := a.Resource
	if a.Subresource != "" {
		resource += "/" + a.Subresource
	}
	if a.Namespace != "" {
		return fmt.Sprintf("User %q cannot %s resource %q in API group %q in the namespace %q", username, a.Verb, resource, a.APIGroup, a.Namespace)
	}
	return fmt.Sprintf("User %q cannot %s resource %q in API group %q at the cluster scope", username, a.Verb, resource, a.APIGroup)
}

// Forbidden is the 403 a forbidden request is answered with, exactly as
// upstream: Status {reason Forbidden, details {name, group, kind: the
// resource}} with the message
//
//	pods "x" is forbidden: User "bob" cannot get resource "pods" in API group "" in the namespace "default"
//
// (": <reason>" appended when the authorizers gave one; "forbidden: User
// ..." for non-resource requests). The HTTP layer writes it for the
// request's group and version and sets X-Content-Type-Options: nosniff.
func Forbidden(a Attributes, reason string) *apierrors.StatusError {
	msg := sanitizer.Replace(ForbiddenMessage(a))
	if reason != "" {
		msg += ": " + reason
	}
	gr := schema.GroupResource{Group: a.APIGroup, Resource: a.Resource}
	return apierrors.NewForbidden(gr, a.Name, errors.New(msg))
}

// Check authorizes a request as upstream's authorization filter does: nil
// when allowed (even if an authorizer also failed); otherwise, when an
// authorizer failed, its error (upstream answers 500 with the plain text
// `Internal Server Error: "<request URI>": <error>`); otherwise the
// Forbidden StatusError to answer 403 with.
func Check(ctx context.Context, z Authorizer, a Attributes) error {
	d, reason, err := z.Authorize(ctx, a)
	if d == Allow {
		return nil
	}
	if err != nil {
		return fmt.Errorf("authorize %s: %w", describe(a), err)
	}
	return Forbidden(a, reason)
}

func describe(a Attributes) string {
	if !a.ResourceRequest {
		return a.Verb + " " + a.Path
	}
	r := a.Resource
	if a.Subresource != "" {
		r += "/" + a.Subresource
	}
	return a.Verb + " " + r
}
