package fakeapi

import (
	"errors"
	"mime"
	"net/http"
	"reflect"
	"slices"

	jsonpatch "github.com/evanphx/json-patch/v5"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/strategicpatch"
)

// servePatch answers a PATCH of an object or its status: the patch applies
// to the stored object and the result goes through the update rules, so a
// resourceVersion the patch sets is a precondition.
func (s *Server) servePatch(c *call) {
	res := c.t.res
	contentType, _, _ := mime.ParseMediaType(c.r.Header.Get("Content-Type"))
	pt := types.PatchType(contentType)
	accepted := res.patchTypes()
	if !slices.Contains(accepted, pt) {
		names := make([]string, len(accepted))
		for i, a := range accepted {
			names[i] = string(a)
		}
		writeError(c.w, unsupportedMediaType(names))
		return
	}
	o, err := s.store.mutate(res, c.t.namespace, c.t.name, func(cur *object) (mutation, error) {
		if cur == nil {
			return mutation{}, apierrors.NewNotFound(res.groupResource(), c.t.name)
		}
		patched, err := applyPatch(res, pt, cur.raw, c.body)
		if err != nil {
			return mutation{}, err
		}
		in, err := decodeBody(patched)
		if err != nil {
			return mutation{}, err
		}
		return nextState(c.t, cur, in)
	})
	if err != nil {
		writeError(c.w, err)
		return
	}
	writeRaw(c.w, http.StatusOK, o.raw)
}

// patchTypes lists the patch media types the kind accepts: strategic merge
// patch needs the kind's Go type, as upstream refuses it for custom kinds.
func (r *resource) patchTypes() []types.PatchType {
	pts := []types.PatchType{types.JSONPatchType, types.MergePatchType}
	if r.goType != nil {
		pts = append(pts, types.StrategicMergePatchType)
	}
	return pts
}

// applyPatch applies patch to the JSON document orig, with upstream's
// error codes: 400 for a malformed patch, 422 when a JSON patch cannot
// apply.
func applyPatch(res *resource, pt types.PatchType, orig, patch []byte) ([]byte, error) {
	switch pt {
	case types.JSONPatchType:
		p, err := jsonpatch.DecodePatch(patch)
		if err != nil {
			return nil, apierrors.NewBadRequest(err.Error())
		}
		out, err := p.Apply(orig)
		if err != nil {
			return nil, apierrors.NewGenericServerResponse(http.StatusUnprocessableEntity, "", schema.GroupResource{}, "", err.Error(), 0, false)
		}
		return out, nil
	case types.MergePatchType:
		out, err := jsonpatch.MergePatch(orig, patch)
		if err != nil {
			return nil, apierrors.NewBadRequest(err.Error())
		}
		return out, nil
	case types.StrategicMergePatchType:
		out, err := strategicpatch.StrategicMergePatch(orig, patch, reflect.New(res.goType).Interface())
		if err != nil {
			return nil, apierrors.NewBadRequest(err.Error())
		}
		return out, nil
	}
	return nil, errors.New("unreachable: patch type checked before")
}
