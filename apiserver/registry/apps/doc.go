// Package apps holds the rules of the apps/v1 resources kube-apiserver
// serves: deployments, replicasets, statefulsets, daemonsets and
// controllerrevisions. Each is a *registry.Resource with upstream's
// names, etcd prefix, defaults (SetDefaults_* of apps/v1 and the pod
// template's), validation, status subresource and kubectl table.
package apps
