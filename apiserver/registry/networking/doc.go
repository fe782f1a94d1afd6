// Package networking holds the rules of the networking.k8s.io/v1
// resources kube-apiserver serves: networkpolicies, ingresses (with their
// status subresource) and ingressclasses, with upstream's defaults,
// validation, generation and kubectl tables.
package networking
