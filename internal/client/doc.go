// Package client is skiff's REST client for the Kubernetes API.
//
// A Client speaks JSON to one API server: it loads its Config from kubeconfig
// files (as kubectl does) or from a pod's service account, limits its own rate
// (QPS and burst), retries what is safe to retry, and counts every request in
// the rest_client_* metrics. Typed access to any resource goes through
// Resource, generic over the k8s.io/api kind:
//
//	c, _ := client.New(cfg)
//	pods := client.For[corev1.Pod](c, client.Pods).Namespace("default")
//	pod, err := pods.Get(ctx, "web-0", metav1.GetOptions{})
//	if apierrors.IsNotFound(err) { … }
//
// Errors from the server are *k8s.io/apimachinery/pkg/api/errors.StatusError,
// so callers test them with apierrors.IsNotFound, IsConflict,
// IsAlreadyExists, IsGone, IsForbidden and the rest.
package client
