// Package subresource serves the subresources of kube-apiserver that have
// logic of their own, beyond the generic get/update/patch of a registry
// store, as upstream's v1.31 registry does:
//
//   - pods/binding (and the legacy bindings resource): the scheduler's
//     write of spec.nodeName on an unbound pod;
//   - pods/eviction: a delete that honours PodDisruptionBudgets;
//   - pods/log: the container log, streamed from the node's kubelet;
//   - <resource>/scale: the autoscaling/v1 Scale view of deployments,
//     replica sets, stateful sets and replication controllers;
//   - serviceaccounts/token: bound service-account tokens (TokenRequest).
//
// Each handler is an endpoints.SubresourceHandler reading and writing
// through the registry's stores, so the registry's rules (metadata,
// resourceVersion preconditions, graceful deletion) apply to what they
// write, and having its writes admitted (endpoints.IO.Admit) as upstream's
// handlers do. Errors are the API's, worded as upstream's.
package subresource
