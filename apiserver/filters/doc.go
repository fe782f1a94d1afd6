// Package filters wraps the apiserver's handler in the stages every request
// passes before it reaches a resource: panic recovery, request info,
// authentication, the in-flight limits, authorization, and the request
// metrics, as upstream orders them.
package filters
