// Package rbac holds the rules of rbac.authorization.k8s.io/v1: roles,
// clusterroles (with aggregation rules), rolebindings and
// clusterrolebindings. It validates them as upstream does and serves
// their tables; it does not check escalation (authorization's job).
package rbac
