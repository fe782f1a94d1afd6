package registry

import (
	apimachineryvalidation "k8s.io/apimachinery/pkg/api/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// ReplicaCounts are the counts of a ReplicaSet's or a
// ReplicationController's status.
type ReplicaCounts struct {
	Replicas, FullyLabeledReplicas, ReadyReplicas, AvailableReplicas int32
	ObservedGeneration                                               int64
}

// Counter is one count of an object's status, by its field name.
type Counter struct {
	Name  string
	Value int64
}

// Count is the Counter of field name.
func Count(name string, value int64) Counter { return Counter{Name: name, Value: value} }

// Nonnegative refuses the counters below zero, as upstream's
// ValidateNonnegativeField on each.
func Nonnegative(fldPath *field.Path, counters ...Counter) field.ErrorList {
	var errs field.ErrorList
	for _, c := range counters {
		errs = append(errs, apimachineryvalidation.ValidateNonnegativeField(c.Value, fldPath.Child(c.Name))...)
	}
	return errs
}

// NotAbove refuses the counters above limit, with msg.
func NotAbove(fldPath *field.Path, limit int64, msg string, counters ...Counter) field.ErrorList {
	var errs field.ErrorList
	for _, c := range counters {
		if c.Value > limit {
			errs = append(errs, field.Invalid(fldPath.Child(c.Name), c.Value, msg))
		}
	}
	return errs
}

// ValidateReplicaCounts checks a ReplicaSet's or a ReplicationController's
// status as upstream does for both: every count nonnegative, none above
// replicas, available not above ready.
func ValidateReplicaCounts(c ReplicaCounts, fldPath *field.Path) field.ErrorList {
	fully := Count("fullyLabeledReplicas", int64(c.FullyLabeledReplicas))
	ready := Count("readyReplicas", int64(c.ReadyReplicas))
	available := Count("availableReplicas", int64(c.AvailableReplicas))
	errs := Nonnegative(fldPath, Count("replicas", int64(c.Replicas)), fully, ready, available,
		Count("observedGeneration", c.ObservedGeneration))
	errs = append(errs, NotAbove(fldPath, int64(c.Replicas), "cannot be greater than status.replicas", fully, ready, available)...)
	return append(errs, NotAbove(fldPath, ready.Value, "cannot be greater than readyReplicas", available)...)
}
