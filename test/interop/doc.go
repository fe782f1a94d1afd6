// Package interop runs upstream's Kubernetes v1.31 daemons against skiff's
// kube-apiserver: upstream's kube-scheduler and kube-controller-manager,
// built from the Go module proxy by test/upstream, must do their work on
// skiff's API exactly as on upstream's.
package interop
