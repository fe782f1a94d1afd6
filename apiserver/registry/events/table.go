package events

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

// table renders events.k8s.io/v1 Events with coreTable, the core/v1 Event
// table, on their stored (core/v1) form: upstream prints both APIs' Events
// with one printer after converting them to its internal Event, so the
// columns and cells are the same (regarding is OBJECT, note is MESSAGE,
// deprecatedSource or reportingController/reportingInstance is SOURCE, …).
func table(coreTable registry.TableFunc) registry.TableFunc {
	return func(objs []storage.Object, wide bool) (*metav1.Table, error) {
		stored := make([]storage.Object, len(objs))
		for i, obj := range objs {
			stored[i] = ToCore(obj)
		}
		return coreTable(stored, wide)
	}
}
