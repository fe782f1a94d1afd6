// Package scheduling holds the rules of scheduling.k8s.io/v1
// PriorityClasses and the two system classes the apiserver creates at
// start (system-node-critical, system-cluster-critical).
package scheduling
