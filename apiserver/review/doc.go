// Package review serves the create-only review resources of
// kube-apiserver, which answer a question instead of storing an object,
// as upstream's v1.31 registry does:
//
//   - authentication.k8s.io/v1 TokenReview: whose is this token?
//   - authentication.k8s.io/v1 SelfSubjectReview: who am I (kubectl auth
//     whoami)?
//   - authorization.k8s.io/v1 SubjectAccessReview and
//     LocalSubjectAccessReview: may this user do that?
//   - authorization.k8s.io/v1 SelfSubjectAccessReview: may I (kubectl
//     auth can-i)?
//   - authorization.k8s.io/v1 SelfSubjectRulesReview: what may I do in a
//     namespace (kubectl auth can-i --list)?
//
// Each is an endpoints.Creator; Endpoints lists them with their names and
// scope, for the resource API and discovery.
package review
