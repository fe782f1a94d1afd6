package fieldmanager

import (
	"slices"
	"sort"
	"testing"

	"go.uber.org/zap/zaptest"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/skiff-dev/skiff/apiserver/scheme"
)

var (
	configMapGVK  = schema.GroupVersionKind{Version: "v1", Kind: "ConfigMap"}
	serviceGVK    = schema.GroupVersionKind{Version: "v1", Kind: "Service"}
	podGVK        = schema.GroupVersionKind{Version: "v1", Kind: "Pod"}
	deploymentGVK = schema.GroupVersionKind{Group: "apps", Version: "v1", Kind: "Deployment"}
)

// newTestManager tracks ConfigMaps, Pods, Services and Deployments (the
// last three with their status) on the apiserver's scheme.
func newTestManager(t *testing.T) *Manager {
	t.Helper()
	m, err := New(zaptest.NewLogger(t), scheme.New(), []Kind{
		{GVK: configMapGVK},
		{GVK: podGVK, Subresources: []string{"status"}},
		{GVK: serviceGVK, Subresources: []string{"status"}},
		{GVK: deploymentGVK, Subresources: []string{"status"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// entry is a managedFields entry without its time, for comparison.
type entry struct {
	Manager, Operation, APIVersion, FieldsType, Subresource, Fields string
}

// entriesOf returns obj's managedFields, checking every entry has a time
// but those of untimed managers (an apply that changes nothing records
// no time, as upstream).
func entriesOf(t *testing.T, obj runtime.Object, untimed ...string) []entry {
	t.Helper()
	accessor, err := meta.Accessor(obj)
	if err != nil {
		t.Fatal(err)
	}
	var out []entry
	for _, e := range accessor.GetManagedFields() {
		if timed := !slices.Contains(untimed, e.Manager); timed != (e.Time != nil) {
			t.Errorf("managedFields entry of %q: time %v", e.Manager, e.Time)
		}
		var fields string
		if e.FieldsV1 != nil {
			fields = string(e.FieldsV1.Raw)
		}
		out = append(out, entry{e.Manager, string(e.Operation), e.APIVersion, e.FieldsType, e.Subresource, fields})
	}
	return out
}

// equalEntries compares managedFields by operation and manager: upstream
// orders entries by time first, which a test cannot hold still.
func equalEntries(t *testing.T, got, want []entry) {
	t.Helper()
	order := func(es []entry) {
		sort.Slice(es, func(i, j int) bool {
			if es[i].Operation != es[j].Operation {
				return es[i].Operation < es[j].Operation
			}
			return es[i].Manager < es[j].Manager
		})
	}
	order(got)
	order(want)
	if len(got) != len(want) {
		t.Fatalf("managedFields:\n got %+v\nwant %+v", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("managedFields[%d]:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
}

// withUID marks obj as stored, as the registry does on create.
func withUID[T metav1.Object](obj T) T {
	obj.SetUID("6c1c1a4e-0000-4000-8000-000000000001")
	return obj
}
