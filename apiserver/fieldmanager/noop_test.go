package fieldmanager

import (
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// applyCPU is an apply of a Deployment whose container asks for cpu
// (and memory, when given).
func applyCPU(cpu, memory string) []byte {
	requests := `{"cpu":"` + cpu + `"`
	if memory != "" {
		requests += `,"memory":"` + memory + `"`
	}
	return []byte(`{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default"},` +
		`"spec":{"template":{"spec":{"containers":[{"name":"app","image":"app:1","resources":{"requests":` + requests + `}}}]}}}}`)
}

func TestKeepTimestampsOfNoop(t *testing.T) {
	tests := []struct {
		name     string
		second   []byte
		manager  string
		wantKept bool
		wantPath string
	}{
		{"the same quantity written another way", applyCPU("1000m", ""), "ssa", true, outcomeEqual},
		{"the same apply again", applyCPU("1", ""), "ssa", true, outcomeUnequalFast},
		{"a changed value", applyCPU("2", ""), "ssa", false, outcomeUnequalSlow},
		{"a changed set of fields", applyCPU("1", "1Gi"), "ssa", false, outcomeUnequalFast},
		{"a new manager", applyCPU("1", ""), "other", false, outcomeUnequalFast},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := prometheus.NewRegistry()
			m := newTestManager(t)
			var err error
			if m.metrics, err = newMetrics(reg); err != nil {
				t.Fatal(err)
			}
			apply := m.ForKind(deploymentGVK, "")
			first, err := apply.Apply(nil, applyCPU("1", ""), "ssa", false)
			if err != nil {
				t.Fatal(err)
			}
			stored := withUID(first.(*appsv1.Deployment))
			stored.TypeMeta = metav1.TypeMeta{} // as read from storage
			second, err := apply.Apply(stored, tt.second, tt.manager, false)
			if err != nil {
				t.Fatal(err)
			}
			before := second.DeepCopyObject()
			m.KeepTimestampsOfNoop(second, stored)

			if kept := sameTimes(second, stored); kept != tt.wantKept {
				t.Errorf("times kept = %v, want %v", kept, tt.wantKept)
			}
			if !tt.wantKept && !sameTimes(second, before) {
				t.Error("times changed on a write that changes the object")
			}
			if got := second.GetObjectKind(); got.GroupVersionKind() != before.GetObjectKind().GroupVersionKind() {
				t.Errorf("kind after the check = %v, want %v", got.GroupVersionKind(), before.GetObjectKind().GroupVersionKind())
			}
			if got := histogramCounts(t, reg, "apiserver_request_timestamp_comparison_time"); len(got) != 1 || got[tt.wantPath] != 1 {
				t.Errorf("observations by code_path = %v, want one %s", got, tt.wantPath)
			}
		})
	}
}

func sameTimes(a, b runtime.Object) bool {
	ea, eb := a.(metav1.Object).GetManagedFields(), b.(metav1.Object).GetManagedFields()
	if len(ea) != len(eb) {
		return false
	}
	for i := range ea {
		if !ea[i].Time.Equal(eb[i].Time) {
			return false
		}
	}
	return true
}

// histogramCounts returns a histogram's sample counts by code_path.
func histogramCounts(t *testing.T, reg *prometheus.Registry, name string) map[string]uint64 {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]uint64{}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, metric := range f.GetMetric() {
			for _, l := range metric.GetLabel() {
				if l.GetName() == "code_path" {
					out[l.GetValue()] = metric.GetHistogram().GetSampleCount()
				}
			}
		}
	}
	return out
}

func TestRestoreInvalidAfterAdmission(t *testing.T) {
	valid := []metav1.ManagedFieldsEntry{{Manager: "kubectl-create", Operation: metav1.ManagedFieldsOperationUpdate,
		APIVersion: "v1", FieldsType: "FieldsV1", FieldsV1: &metav1.FieldsV1{Raw: []byte(`{"f:data":{}}`)}}}
	tests := []struct {
		name        string
		after       []metav1.ManagedFieldsEntry
		wantWarning string
		wantFields  []metav1.ManagedFieldsEntry
	}{
		{"valid", append([]metav1.ManagedFieldsEntry(nil), valid[0], metav1.ManagedFieldsEntry{Manager: "webhook",
			Operation: metav1.ManagedFieldsOperationUpdate, APIVersion: "v1", FieldsType: "FieldsV1", FieldsV1: &metav1.FieldsV1{Raw: []byte(`{}`)}}), "", nil},
		{"invalid", []metav1.ManagedFieldsEntry{{Manager: "webhook", FieldsType: "FieldsV2"}},
			".metadata.managedFields was in an invalid state after admission; this could be caused by an outdated mutating " +
				"admission controller; please fix your requests: ", valid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cm := configMap(nil)
			cm.ManagedFields = tt.after
			warning := RestoreInvalidAfterAdmission(cm, valid)
			if !strings.HasPrefix(warning, tt.wantWarning) || (tt.wantWarning == "") != (warning == "") {
				t.Errorf("warning = %q, want prefix %q", warning, tt.wantWarning)
			}
			want := tt.wantFields
			if want == nil {
				want = tt.after
			}
			if len(cm.ManagedFields) != len(want) || cm.ManagedFields[0].Manager != want[0].Manager {
				t.Errorf("managedFields = %+v, want %+v", cm.ManagedFields, want)
			}
		})
	}
}
