// Package service serves core/v1 services as upstream's kube-apiserver
// v1.31 does: defaulting, validation, the rules for updates (cluster IPs
// and IP families that stay, fields cleared when the type changes), the
// services/status subresource (load balancer ingress), field selectors
// and the columns kubectl get prints.
//
// Allocating cluster IPs and node ports is not done here: the allocator
// fills spec.clusterIP(s), spec.ports[*].nodePort and
// spec.healthCheckNodePort before validation, as upstream's does.
package service
