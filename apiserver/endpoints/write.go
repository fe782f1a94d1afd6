package endpoints

import (
	"context"
	"net/http"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/skiff-dev/skiff/apiserver/admission"
	"github.com/skiff-dev/skiff/apiserver/fieldmanager"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

func (q *request) create() {
	if q.info.Subresource != "" {
		q.fail(apierrors.NewMethodNotSupported(q.store.Resource().GroupResource(), "create"))
		return
	}
	var opts metav1.CreateOptions
	if !q.decodeParams(&opts) {
		return
	}
	if err := fieldmanager.ValidateCreateOptions(&opts); err != nil {
		q.fail(err)
		return
	}
	dry := len(opts.DryRun) > 0
	body, err := q.readBody()
	if err != nil {
		q.fail(err)
		return
	}
	obj, err := q.decodeObject(body)
	if err != nil {
		q.fail(err)
		return
	}
	q.store.Resource().Strategy.Default(obj)
	obj = q.track(nil, obj, fieldmanager.ManagerName(opts.FieldManager, q.r.UserAgent()))
	attrs := q.attributes(admission.Create, obj.GetName(), dry, &opts)
	if err := q.admit(attrs, obj, nil); err != nil {
		q.fail(err)
		return
	}
	created, err := q.store.Create(q.r.Context(), q.info.Namespace, obj, q.writeOptions(dry, attrs))
	if err != nil {
		q.fail(err)
		return
	}
	q.respond(http.StatusCreated, created)
}

func (q *request) update() {
	var opts metav1.UpdateOptions
	if !q.decodeParams(&opts) {
		return
	}
	if err := fieldmanager.ValidateUpdateOptions(&opts); err != nil {
		q.fail(err)
		return
	}
	dry := len(opts.DryRun) > 0
	body, err := q.readBody()
	if err != nil {
		q.fail(err)
		return
	}
	obj, err := q.decodeObject(body)
	if err != nil {
		q.fail(err)
		return
	}
	q.store.Resource().Strategy.Default(obj)
	manager := fieldmanager.ManagerName(opts.FieldManager, q.r.UserAgent())
	attrs := q.attributes(admission.Update, q.info.Name, dry, &opts)
	replace := func(_ context.Context, current storage.Object) (storage.Object, error) {
		next := q.track(current, obj.DeepCopyObject().(storage.Object), manager)
		return next, q.admit(attrs, next, current)
	}
	out, created, err := q.store.Update(q.r.Context(), q.info.Namespace, q.info.Name, q.info.Subresource, replace, q.writeOptions(dry, attrs))
	if err != nil {
		q.fail(err)
		return
	}
	code := http.StatusOK
	if created {
		code = http.StatusCreated
	}
	q.respond(code, out)
}
