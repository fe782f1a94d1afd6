// Package events serves events.k8s.io/v1 Events from the storage of core/v1
// Events, as upstream does: both APIs show the same objects, converted
// field by field (note ↔ message, regarding ↔ involvedObject, …), and
// kubectl get shows them in the same table (core.EventTable).
package events
