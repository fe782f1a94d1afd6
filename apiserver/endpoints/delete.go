package endpoints

import (
	"net/http"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/skiff-dev/skiff/apiserver/registry"
)

// deleteOptions reads DeleteOptions from the body (JSON), else the query.
func (q *request) deleteOptions() (*metav1.DeleteOptions, bool, bool) {
	opts := &metav1.DeleteOptions{}
	body, err := q.readBody()
	if err != nil {
		q.fail(err)
		return nil, false, false
	}
	if len(body) > 0 {
		if err := runtime.DecodeInto(q.h.codecs.JSON, body, opts); err != nil {
			q.fail(apierrors.NewBadRequest(err.Error()))
			return nil, false, false
		}
	} else if !q.decodeParams(opts) {
		return nil, false, false
	}
	if opts.GracePeriodSeconds != nil && *opts.GracePeriodSeconds < 0 {
		zero := int64(0)
		opts.GracePeriodSeconds = &zero
	}
	dry, err := dryRun(opts.DryRun)
	if err != nil {
		q.fail(err)
		return nil, false, false
	}
	return opts, dry, true
}

func (q *request) delete() {
	if q.info.Subresource != "" {
		q.fail(apierrors.NewMethodNotSupported(q.store.Resource().GroupResource(), "delete"))
		return
	}
	opts, dry, ok := q.deleteOptions()
	if !ok {
		return
	}
	out, err := q.store.Delete(q.r.Context(), q.info.Namespace, q.info.Name, opts, registry.WriteOptions{DryRun: dry})
	if err != nil {
		q.fail(err)
		return
	}
	q.respond(http.StatusOK, out)
}

// deleteCollection deletes every object the selectors pick, one at a time,
// and answers the list of what was deleted.
func (q *request) deleteCollection() {
	var listOpts metav1.ListOptions
	if !q.decodeParams(&listOpts) {
		return
	}
	opts, dry, ok := q.deleteOptions()
	if !ok {
		return
	}
	list, err := q.store.List(q.r.Context(), q.info.Namespace, metav1.ListOptions{LabelSelector: listOpts.LabelSelector, FieldSelector: listOpts.FieldSelector})
	if err != nil {
		q.fail(err)
		return
	}
	items, err := listItems(list)
	if err != nil {
		q.fail(err)
		return
	}
	for _, it := range items {
		_, err := q.store.Delete(q.r.Context(), it.GetNamespace(), it.GetName(), opts, registry.WriteOptions{DryRun: dry})
		if err != nil && !apierrors.IsNotFound(err) {
			q.fail(err)
			return
		}
	}
	q.respond(http.StatusOK, list)
}
