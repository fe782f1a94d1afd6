package fieldmanager

import (
	"reflect"
	"time"

	"k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// KeepTimestampsOfNoop undoes the only change of a write that changes
// nothing but managedFields times (a repeated apply, an update with the
// same content): when obj equals old but for those times, obj gets old's
// times back, so that the write does not bump the resourceVersion.
// Upstream does this in its store's update, after the strategy's
// PrepareForUpdate and before validation; it observes
// apiserver_request_timestamp_comparison_time. obj is changed in place.
func (m *Manager) KeepTimestampsOfNoop(obj, old runtime.Object) {
	if m == nil || obj == nil || old == nil {
		return
	}
	start := time.Now()
	outcome := m.keepTimestampsOfNoop(obj, old)
	m.metrics.timestampComparison.WithLabelValues(outcome).Observe(time.Since(start).Seconds())
}

// keepTimestampsOfNoop returns the comparison's outcome (code_path).
func (m *Manager) keepTimestampsOfNoop(obj, old runtime.Object) string {
	oldAccessor, err := meta.Accessor(old)
	if err != nil {
		return outcomeError
	}
	accessor, err := meta.Accessor(obj)
	if err != nil {
		return outcomeError
	}
	oldFields, newFields := oldAccessor.GetManagedFields(), accessor.GetManagedFields()
	if len(oldFields) != len(newFields) || len(newFields) == 0 {
		// An entry came or went: the writer shows as a manager even when
		// the values did not change.
		return outcomeUnequalFast
	}
	changed := false
	for i := range newFields {
		if !newFields[i].Time.Equal(oldFields[i].Time) {
			changed = true
			break
		}
	}
	if !changed {
		return outcomeUnequalFast
	}
	for i := range newFields {
		a, b := newFields[i], oldFields[i]
		a.Time, b.Time = nil, nil
		if !reflect.DeepEqual(a, b) {
			return outcomeUnequalFast
		}
	}
	// The rest of the objects, with the same managedFields (and apiVersion
	// and kind, which storage sets) on both sides.
	gvk := obj.GetObjectKind().GroupVersionKind()
	obj.GetObjectKind().SetGroupVersionKind(old.GetObjectKind().GroupVersionKind())
	accessor.SetManagedFields(oldFields)
	equal := equality.Semantic.DeepEqual(obj, old)
	accessor.SetManagedFields(newFields)
	obj.GetObjectKind().SetGroupVersionKind(gvk)
	if !equal {
		return outcomeUnequalSlow
	}
	kept := make([]metav1.ManagedFieldsEntry, len(newFields))
	for i := range newFields {
		kept[i] = newFields[i]
		kept[i].Time = oldFields[i].Time
	}
	accessor.SetManagedFields(kept)
	return outcomeEqual
}
