// Package policy holds the rules of policy/v1 PodDisruptionBudgets:
// upstream's validation (minAvailable or maxUnavailable, integers or
// percentages; selector; unhealthy pod eviction policy), generation,
// status subresource and kubectl table.
package policy
