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

	"github.com/skiff-dev/skiff/apiserver/admission"
	"github.com/skiff-dev/skiff/apiserver/fieldmanager"
	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

func (q *request) patch() {
	var opts metav1.PatchOptions
	if !q.decodeParams(&opts) {
		return
	}
	pt, err := patchType(q.r)
	if err != nil {
		q.fail(err)
		return
	}
	if err := fieldmanager.ValidatePatchOptions(&opts, pt); err != nil {
		q.fail(err)
		return
	}
	patch, err := q.readBody()
	if err != nil {
		q.fail(err)
		return
	}
	dry := len(opts.DryRun) > 0
	attrs := q.attributes(admission.Update, q.info.Name, dry, &opts)
	wo := q.writeOptions(dry, attrs)
	var update registry.UpdateFunc
	if pt == types.ApplyPatchType {
		apply := q.serverSideApply(patch, opts)
		update = func(ctx context.Context, current storage.Object) (storage.Object, error) {
			obj, err := apply(ctx, current)
			if err != nil {
				return nil, err
			}
			return obj, q.admit(attrs, obj, current)
		}
		wo.ForceAllowCreate = q.info.Subresource == ""
	} else {
		manager := fieldmanager.ManagerName(opts.FieldManager, q.r.UserAgent())
		update = func(_ context.Context, current storage.Object) (storage.Object, error) {
			if current == nil {
				return nil, apierrors.NewNotFound(q.store.Resource().GroupResource(), q.info.Name)
			}
			obj, err := q.applyPatch(pt, patch, current)
			if err != nil {
				return nil, err
			}
			obj = q.track(current, obj, manager)
			return obj, q.admit(attrs, obj, current)
		}
	}
	out, created, err := q.store.Update(q.r.Context(), q.info.Namespace, q.info.Name, q.info.Subresource, update, wo)
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

// serverSideApply applies an apply patch (application/apply-patch+yaml)
// as opts.FieldManager, creating the object when it is missing.
func (q *request) serverSideApply(patch []byte, opts metav1.PatchOptions) registry.UpdateFunc {
	force := opts.Force != nil && *opts.Force
	return func(_ context.Context, current storage.Object) (storage.Object, error) {
		res := q.store.Resource()
		out, err := q.fieldsFor().Apply(current, patch, opts.FieldManager, force)
		if err != nil {
			return nil, err
		}
		obj, ok := out.(storage.Object)
		if !ok {
			return nil, apierrors.NewInternalError(fmt.Errorf("apply produced a %T", out))
		}
		res.Strategy.Default(obj)
		if current == nil && obj.GetUID() != "" {
			return nil, apierrors.NewConflict(res.GroupResource(), q.info.Name,
				fmt.Errorf("uid mismatch: the provided object specified uid %s, and no existing object was found", obj.GetUID()))
		}
		if obj.GetName() != q.info.Name {
			return nil, apierrors.NewBadRequest(fmt.Sprintf("the name of the object (%s) does not match the name on the URL (%s)", obj.GetName(), q.info.Name))
		}
		if ns := obj.GetNamespace(); ns != "" && res.Namespaced && ns != q.info.Namespace {
			return nil, apierrors.NewBadRequest(fmt.Sprintf("the namespace of the object (%s) does not match the namespace on the request (%s)", ns, q.info.Namespace))
		}
		if err := fieldmanager.StrictApplyPatchError(patch); err != nil {
			switch v, _ := q.fieldValidation(); v {
			case metav1.FieldValidationStrict:
				return nil, apierrors.NewBadRequest("error strict decoding YAML: " + err.Error())
			case metav1.FieldValidationWarn:
				q.warn(err.Error())
			}
		}
		return obj, nil
	}
}

func patchType(r *http.Request) (types.PatchType, error) {
	media, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return "", unsupportedMediaType("application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml")
	}
	switch pt := types.PatchType(media); pt {
	case types.JSONPatchType, types.MergePatchType, types.StrategicMergePatchType, types.ApplyPatchType:
		return pt, nil
	default:
		return "", unsupportedMediaType("application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml")
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
