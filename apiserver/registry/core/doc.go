// Package core holds the strategies of the core/v1 ("" group) resources
// other than pods and services: namespaces, configmaps, secrets,
// serviceaccounts, events, nodes, endpoints, limitranges, resourcequotas,
// podtemplates, persistentvolumes, persistentvolumeclaims and
// replicationcontrollers. Each file describes one resource for package
// registry: its names and etcd prefix, upstream's defaults, validation
// (field paths and messages as kube-apiserver v1.31 words them), status
// subresource rules, selectable fields and kubectl table.
//
// Resources lists them all; the namespaces' finalize subresource is
// FinalizeStrategy, for the caller to wire.
package core
