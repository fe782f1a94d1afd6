package subresource

import (
	"fmt"
	"io"
	"mime"
	"net/http"

	jsonpatch "github.com/evanphx/json-patch/v5"
	autoscalingv1 "k8s.io/api/autoscaling/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	metav1validation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/strategicpatch"

	"github.com/skiff-dev/skiff/apiserver/endpoints"
)

const patchMediaTypes = "application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json"

// patch is PATCH: the patch applies to the current Scale, again on each
// retry of the update.
func (s *Scale) patch(r *http.Request, info *endpoints.RequestInfo, io endpoints.IO) (*autoscalingv1.Scale, error) {
	pt, err := patchType(r)
	if err != nil {
		return nil, err
	}
	opts := &metav1.PatchOptions{}
	if err := s.opts.decode(r, opts); err != nil {
		return nil, err
	}
	if errs := metav1validation.ValidatePatchOptions(opts, pt); len(errs) > 0 {
		return nil, apierrors.NewInvalid(schema.GroupKind{Group: metav1.GroupName, Kind: "PatchOptions"}, "", errs)
	}
	body, err := readBody(r)
	if err != nil {
		return nil, err
	}
	return s.write(r.Context(), info.Namespace, info.Name, func(old *autoscalingv1.Scale) (*autoscalingv1.Scale, error) {
		return s.applyPatch(pt, body, old)
	}, s.admitter(r, info, io, updateOptions(opts)), len(opts.DryRun) > 0)
}

// applyPatch applies patch to old's JSON, as the resource API does.
func (s *Scale) applyPatch(pt types.PatchType, patch []byte, old *autoscalingv1.Scale) (*autoscalingv1.Scale, error) {
	original, err := runtime.Encode(s.codecs.JSON, old)
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
		if patched, err = p.Apply(original); err != nil {
			return nil, apierrors.NewGenericServerResponse(http.StatusUnprocessableEntity, "", schema.GroupResource{}, "", err.Error(), 0, false)
		}
	case types.MergePatchType:
		if patched, err = jsonpatch.MergePatch(original, patch); err != nil {
			return nil, apierrors.NewBadRequest(err.Error())
		}
	default:
		if patched, err = strategicpatch.StrategicMergePatch(original, patch, &autoscalingv1.Scale{}); err != nil {
			return nil, apierrors.NewBadRequest(err.Error())
		}
	}
	out := &autoscalingv1.Scale{}
	if err := runtime.DecodeInto(s.codecs.JSON, patched, out); err != nil {
		return nil, apierrors.NewBadRequest(fmt.Sprintf("the patch produced an invalid Scale: %v", err))
	}
	return out, nil
}

func patchType(r *http.Request) (types.PatchType, error) {
	media, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err == nil {
		switch pt := types.PatchType(media); pt {
		case types.JSONPatchType, types.MergePatchType, types.StrategicMergePatchType:
			return pt, nil
		}
	}
	return "", &apierrors.StatusError{ErrStatus: metav1.Status{
		Status: metav1.StatusFailure, Code: http.StatusUnsupportedMediaType, Reason: metav1.StatusReasonUnsupportedMediaType,
		Message: "the body of the request was in an unknown format - accepted media types include: " + patchMediaTypes,
	}}
}

// readBody reads a request body up to upstream's 3 MiB limit.
func readBody(r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, endpoints.DefaultMaxRequestBodyBytes+1))
	if err != nil {
		return nil, apierrors.NewBadRequest(fmt.Sprintf("unable to read the request body: %v", err))
	}
	if len(body) > endpoints.DefaultMaxRequestBodyBytes {
		return nil, apierrors.NewRequestEntityTooLargeError(fmt.Sprintf("limit is %d", endpoints.DefaultMaxRequestBodyBytes))
	}
	return body, nil
}
