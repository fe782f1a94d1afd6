package endpoints

import (
	"context"
	"fmt"
	"mime"
	"net/http"

	jsonpatch "github.com/evanphx/json-patch/v5"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/strategicpatch"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

func (q *request) patch() {
	var opts metav1.PatchOptions
	if !q.decodeParams(&opts) {
		return
	}
	dry, err := dryRun(opts.DryRun)
	if err != nil {
		q.fail(err)
		return
	}
	pt, err := patchType(q.r)
	if err != nil {
		q.fail(err)
		return
	}
	patch, err := q.readBody()
	if err != nil {
		q.fail(err)
		return
	}
	apply := func(_ context.Context, current storage.Object) (storage.Object, error) {
		if current == nil {
			return nil, apierrors.NewNotFound(q.store.Resource().GroupResource(), q.info.Name)
		}
		return q.applyPatch(pt, patch, current)
	}
	out, _, err := q.store.Update(q.r.Context(), q.info.Namespace, q.info.Name, q.info.Subresource, apply, registry.WriteOptions{DryRun: dry})
	if err != nil {
		q.fail(err)
		return
	}
	q.respond(http.StatusOK, out)
}

func patchType(r *http.Request) (types.PatchType, error) {
	media, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return "", unsupportedMediaType("application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json")
	}
	switch pt := types.PatchType(media); pt {
	case types.JSONPatchType, types.MergePatchType, types.StrategicMergePatchType:
		return pt, nil
	default:
		return "", unsupportedMediaType("application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json")
	}
}

// applyPatch applies patch to current's JSON and decodes the result as the
// new object, defaulted.
func (q *request) applyPatch(pt types.PatchType, patch []byte, current storage.Object) (storage.Object, error) {
	res := q.store.Resource()
	original, err := runtime.Encode(q.h.codecs.JSON, q.h.withKind(current))
	if err != nil {
		return nil, apierrors.NewInternalError(err)
	}
	var patched []byte
	switch pt {
	case types.JSONPatchType:
		p, err := jsonpatch.DecodePatch(patch)
		if err != nil {
			return nil, apierrors.NewBadRequest(err.Error())
		}
		patched, err = p.Apply(original)
		if err != nil {
			return nil, apierrors.NewGenericServerResponse(http.StatusUnprocessableEntity, "", res.GroupResource(), q.info.Name, err.Error(), 0, false)
		}
	case types.MergePatchType:
		patched, err = jsonpatch.MergePatch(original, patch)
		if err != nil {
			return nil, apierrors.NewBadRequest(err.Error())
		}
	case types.StrategicMergePatchType:
		patched, err = strategicpatch.StrategicMergePatch(original, patch, res.New())
		if err != nil {
			return nil, apierrors.NewBadRequest(err.Error())
		}
	}
	obj := res.New()
	if err := runtime.DecodeInto(q.h.codecs.JSON, patched, obj); err != nil {
		return nil, apierrors.NewBadRequest(fmt.Sprintf("the patch produced an invalid %s: %v", res.Kind, err))
	}
	res.Strategy.Default(obj)
	return obj, nil
}
