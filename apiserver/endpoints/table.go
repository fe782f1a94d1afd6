package endpoints

import (
	"net/http"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

// respondTable answers objs as a meta.k8s.io/v1 Table, with the list's
// resourceVersion and continue token when list is given.
func (q *request) respondTable(objs []storage.Object, list runtime.Object) {
	table, err := q.table(objs)
	if err != nil {
		q.fail(err)
		return
	}
	if list != nil {
		if lm, err := meta.ListAccessor(list); err == nil {
			table.ResourceVersion = lm.GetResourceVersion()
			table.Continue = lm.GetContinue()
			table.RemainingItemCount = lm.GetRemainingItemCount()
		}
	}
	q.respond(http.StatusOK, table)
}

// table renders objs with the resource's columns, or upstream's default
// (Name, Created At) for kinds without their own.
func (q *request) table(objs []storage.Object) (*metav1.Table, error) {
	var table *metav1.Table
	if render := q.store.Resource().Table; render != nil {
		t, err := render(objs, true)
		if err != nil {
			return nil, apierrors.NewInternalError(err)
		}
		table = t
	} else {
		table = defaultTable(objs)
	}
	table.TypeMeta = metav1.TypeMeta{Kind: "Table", APIVersion: "meta.k8s.io/v1"}
	includeObject := q.r.URL.Query().Get("includeObject")
	for i := range table.Rows {
		switch includeObject {
		case "None":
			table.Rows[i].Object = runtime.RawExtension{}
		case "Object":
			table.Rows[i].Object = runtime.RawExtension{Object: q.h.withKind(objs[i])}
		default: // Metadata, kubectl's choice
			table.Rows[i].Object = runtime.RawExtension{Object: partialMetadata(objs[i])}
		}
	}
	return table, nil
}

func defaultTable(objs []storage.Object) *metav1.Table {
	t := &metav1.Table{ColumnDefinitions: []metav1.TableColumnDefinition{registry.NameColumn, registry.CreatedAtColumn}}
	for _, o := range objs {
		t.Rows = append(t.Rows, metav1.TableRow{Cells: []any{o.GetName(), o.GetCreationTimestamp().Time.UTC().Format(time.RFC3339)}})
	}
	return t
}

// partialMetadata is the row object kubectl asks for (includeObject=Metadata).
func partialMetadata(obj storage.Object) *metav1.PartialObjectMetadata {
	m := &metav1.PartialObjectMetadata{TypeMeta: metav1.TypeMeta{Kind: "PartialObjectMetadata", APIVersion: "meta.k8s.io/v1"}}
	if a, err := meta.Accessor(obj); err == nil {
		m.ObjectMeta = metav1.ObjectMeta{
			Name: a.GetName(), Namespace: a.GetNamespace(), UID: a.GetUID(), ResourceVersion: a.GetResourceVersion(),
			Generation: a.GetGeneration(), CreationTimestamp: a.GetCreationTimestamp(), DeletionTimestamp: a.GetDeletionTimestamp(),
			Labels: a.GetLabels(), Annotations: a.GetAnnotations(), OwnerReferences: a.GetOwnerReferences(), Finalizers: a.GetFinalizers(),
		}
	}
	return m
}
