package endpoints

import (
	"context"
	"net/http"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/skiff-dev/skiff/apiserver/admission"
	"github.com/skiff-dev/skiff/apiserver/fieldmanager"
	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/storage"
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
		// In the body's own format: upstream's daemons send protobuf.
		media, err := contentType(q.r)
		if err != nil {
			q.fail(err)
			return nil, false, false
		}
		dec := runtime.Decoder(q.h.codecs.JSON)
		switch media {
		case mediaProtobuf:
			dec = q.h.codecs.Protobuf
		case mediaYAML:
			dec = q.h.codecs.YAML
		}
		if err := runtime.DecodeInto(dec, body, opts); err != nil {
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
	if err := fieldmanager.ValidateDeleteOptions(opts); err != nil {
		q.fail(err)
		return nil, false, false
	}
	return opts, len(opts.DryRun) > 0, true
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
	out, err := q.store.Delete(q.r.Context(), q.info.Namespace, q.info.Name, opts, q.deleteOptionsFor(q.info.Name, dry, opts))
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
		_, err := q.store.Delete(q.r.Context(), it.GetNamespace(), it.GetName(), opts, q.deleteOptionsFor(it.GetName(), dry, opts))
		if err != nil && !apierrors.IsNotFound(err) {
			q.fail(err)
			return
		}
	}
	q.respond(http.StatusOK, list)
}

// deleteOptionsFor are a delete's registry options: both admission phases
// run on the object about to go, as upstream runs them for DELETE.
func (q *request) deleteOptionsFor(name string, dry bool, opts *metav1.DeleteOptions) registry.WriteOptions {
	attrs := q.attributes(admission.Delete, name, dry, opts)
	wo := q.writeOptions(dry, attrs)
	if validate := wo.Validate; validate != nil {
		wo.Validate = func(ctx context.Context, obj, old storage.Object) error {
			if err := q.h.admission.Admit(ctx, attrs.WithObjects(obj, old)); err != nil {
				return err
			}
			return validate(ctx, obj, old)
		}
	}
	return wo
}
