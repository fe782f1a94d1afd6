// Package pod serves core/v1 pods as upstream's kube-apiserver v1.31 does:
// defaulting, validation, the rules for updates, the pods/status
// subresource the kubelet writes, graceful deletion, field selectors and
// the columns kubectl get prints.
//
// It also exports the pod spec defaulting and validation that the kinds
// carrying pod templates (deployments, replica sets, jobs, replication
// controllers, pod templates, …) reuse: DefaultPodSpec, ValidatePodSpec
// and ValidatePodTemplateSpec.
//
// pods/binding, pods/eviction, pods/log, pods/exec and
// pods/ephemeralcontainers are served elsewhere.
package pod
