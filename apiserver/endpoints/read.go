package endpoints

import (
	"net/http"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/skiff-dev/skiff/apiserver/storage"
)

func (q *request) get() {
	out, err := negotiate(q.r)
	if err != nil {
		q.fail(err)
		return
	}
	var opts metav1.GetOptions
	if !q.decodeParams(&opts) {
		return
	}
	obj, err := q.store.Get(q.r.Context(), q.info.Namespace, q.info.Name)
	if err != nil {
		q.fail(err)
		return
	}
	if out.table {
		q.respondTable([]storage.Object{obj}, nil)
		return
	}
	q.respond(http.StatusOK, obj)
}

func (q *request) list() {
	out, err := negotiate(q.r)
	if err != nil {
		q.fail(err)
		return
	}
	var opts metav1.ListOptions
	if !q.decodeParams(&opts) {
		return
	}
	list, err := q.store.List(q.r.Context(), q.info.Namespace, opts)
	if err != nil {
		q.fail(err)
		return
	}
	if out.table {
		items, err := listItems(list)
		if err != nil {
			q.fail(err)
			return
		}
		q.respondTable(items, list)
		return
	}
	q.respond(http.StatusOK, list)
}

// listItems returns a list's items as storage objects.
func listItems(list runtime.Object) ([]storage.Object, error) {
	objs, err := meta.ExtractList(list)
	if err != nil {
		return nil, apierrors.NewInternalError(err)
	}
	items := make([]storage.Object, 0, len(objs))
	for _, o := range objs {
		if so, ok := o.(storage.Object); ok {
			items = append(items, so)
		}
	}
	return items, nil
}
