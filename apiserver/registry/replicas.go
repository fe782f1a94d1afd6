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

// ValidateReplicaCounts checks a ReplicaSet's or a ReplicationController's
// status as upstream does for both: every count nonnegative, none above
// replicas, available not above ready.
func ValidateReplicaCounts(c ReplicaCounts, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	for _, n := range []struct {
		name  string
		value int64
	}{
		{"replicas", int64(c.Replicas)}, {"fullyLabeledReplicas", int64(c.FullyLabeledReplicas)},
		{"readyReplicas", int64(c.ReadyReplicas)}, {"availableReplicas", int64(c.AvailableReplicas)},
		{"observedGeneration", c.ObservedGeneration},
	} {
		errs = append(errs, apimachineryvalidation.ValidateNonnegativeField(n.value, fldPath.Child(n.name))...)
	}
	const msg = "cannot be greater than status.replicas"
	if c.FullyLabeledReplicas > c.Replicas {
		errs = append(errs, field.Invalid(fldPath.Child("fullyLabeledReplicas"), c.FullyLabeledReplicas, msg))
	}
	if c.ReadyReplicas > c.Replicas {
		errs = append(errs, field.Invalid(fldPath.Child("readyReplicas"), c.ReadyReplicas, msg))
	}
	if c.AvailableReplicas > c.Replicas {
		errs = append(errs, field.Invalid(fldPath.Child("availableReplicas"), c.AvailableReplicas, msg))
	}
	if c.AvailableReplicas > c.ReadyReplicas {
		errs = append(errs, field.Invalid(fldPath.Child("availableReplicas"), c.AvailableReplicas, "cannot be greater than readyReplicas"))
	}
	return errs
}
