// Package controlplane is the command shared by the leader-elected
// control-plane daemons — kube-scheduler, kube-controller-manager and
// cloud-controller-manager: upstream's generic flags and config sections
// (clientConnection, leaderElection), secure serving of /metrics and the
// health endpoints, the API client, and the component's work run only while
// it holds its Lease.
package controlplane
