// Package authorization decides whether an authenticated user may do what a
// request asks, as kube-apiserver's authorizers do: an Authorizer answers
// Allow, Deny or NoOpinion for the request's Attributes; Chain builds the
// union that --authorization-mode names, behind the system:masters
// short-circuit; Forbidden words the 403 exactly as upstream.
//
// The RBAC authorizer is in the subpackage rbac, the default roles and
// bindings in bootstrap.
package authorization
