// Package endpoints serves the resource API over HTTP as upstream's
// kube-apiserver does: it reads the request (RequestInfo), decodes bodies
// (JSON, YAML, protobuf; fieldValidation Strict, Warn, Ignore), calls the
// registry, and writes objects, lists, Tables and watch streams — and every
// error as a metav1.Status with upstream's code, reason and causes.
package endpoints
