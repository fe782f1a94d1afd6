// Package coordination holds the rules of coordination.k8s.io/v1 leases,
// the objects leader election and node heartbeats write: upstream's
// validation, create-on-update and kubectl table.
package coordination
