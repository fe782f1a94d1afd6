package fieldmanager

import (
	"fmt"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/managedfields"
)

// invalidAfterAdmission is upstream's warning when mutating admission left
// managedFields that do not decode.
const invalidAfterAdmission = ".metadata.managedFields was in an invalid state after admission; " +
	"this could be caused by an outdated mutating admission controller; please fix your requests: %v"

// RestoreInvalidAfterAdmission puts back before (obj's managedFields
// before mutating admission) when admission left obj's managedFields
// invalid, as upstream guards mutating admission. It returns the warning
// to send the client then, "" otherwise.
func RestoreInvalidAfterAdmission(obj runtime.Object, before []metav1.ManagedFieldsEntry) string {
	accessor, err := meta.Accessor(obj)
	if err != nil {
		return ""
	}
	if err := managedfields.ValidateManagedFields(accessor.GetManagedFields()); err != nil {
		accessor.SetManagedFields(before)
		return fmt.Sprintf(invalidAfterAdmission, err)
	}
	return ""
}
