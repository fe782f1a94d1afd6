// Package discovery serves kube-apiserver's discovery documents: /api,
// /api/v1, /apis, /apis/<group>, /apis/<group>/<version> in the legacy
// (metav1) shapes, the aggregated discovery (apidiscovery.k8s.io/v2 and
// v2beta1) that kubectl asks for first, and /version.
//
// Every document is built once, from the list of served resources that the
// registry hands to New, and served with an ETag.
package discovery
