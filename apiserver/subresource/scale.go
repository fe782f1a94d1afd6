package subresource

import (
	"context"
	"fmt"
	"net/http"

	"go.uber.org/zap"
	autoscalingv1 "k8s.io/api/autoscaling/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/admission"
	"github.com/skiff-dev/skiff/apiserver/endpoints"
	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/scheme"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

var scaleGVK = autoscalingv1.SchemeGroupVersion.WithKind("Scale")

// ScaleStore reads and updates the scaled kind's objects.
type ScaleStore interface {
	Getter
	Updater
}

// Scale serves <resource>/scale (GET, PUT, PATCH an autoscaling/v1
// Scale): spec.replicas is the object's desired count, status.replicas
// its current one, status.selector its selector as a string. A write
// changes only the object's spec.replicas, through its store's update
// rules; a Scale carrying a stale resourceVersion is a Conflict.
type Scale struct {
	logger *zap.Logger
	codecs *scheme.Codecs
	opts   optionsCodec
	store  ScaleStore
	kind   Scalable
	gr     schema.GroupResource // "deployments/scale" in its group
}

var _ endpoints.SubresourceHandler = (*Scale)(nil)

// NewScale returns the scale handler of kind, kept in store.
func NewScale(logger *zap.Logger, codecs *scheme.Codecs, store ScaleStore, kind Scalable) *Scale {
	if logger == nil {
		logger = zap.NewNop()
	}
	return &Scale{
		logger: logger.Named("scale"), codecs: codecs, opts: newOptionsCodec(codecs), store: store, kind: kind,
		gr: schema.GroupResource{Group: kind.GVR.Group, Resource: kind.GVR.Resource + "/scale"},
	}
}

// ServeSubresource answers get, update and patch of the Scale.
func (s *Scale) ServeSubresource(w http.ResponseWriter, r *http.Request, info *endpoints.RequestInfo, io endpoints.IO) {
	var out *autoscalingv1.Scale
	var err error
	switch info.Verb {
	case "get":
		out, err = s.get(r.Context(), info.Namespace, info.Name)
	case "update":
		out, err = s.replace(w, r, info, io)
	case "patch":
		out, err = s.patch(r, info, io)
	default:
		err = unsupportedVerb(s.gr, info.Verb)
	}
	if err != nil {
		io.Fail(w, r, err)
		return
	}
	io.Respond(w, r, http.StatusOK, out)
}

func (s *Scale) get(ctx context.Context, namespace, name string) (*autoscalingv1.Scale, error) {
	obj, err := s.store.Get(ctx, namespace, name)
	if err != nil {
		return nil, err
	}
	return s.scaleOf(obj)
}

// replace is PUT: the body is the new Scale.
func (s *Scale) replace(w http.ResponseWriter, r *http.Request, info *endpoints.RequestInfo, io endpoints.IO) (*autoscalingv1.Scale, error) {
	opts, err := s.opts.update(r)
	if err != nil {
		return nil, err
	}
	scale := &autoscalingv1.Scale{}
	if err := io.Decode(w, r, scaleGVK, scale); err != nil {
		return nil, err
	}
	if scale.Name != info.Name {
		return nil, apierrors.NewBadRequest(fmt.Sprintf("the name of the object (%s) does not match the name on the URL (%s)", scale.Name, info.Name))
	}
	if scale.Namespace != "" && scale.Namespace != info.Namespace {
		return nil, apierrors.NewBadRequest(fmt.Sprintf("the namespace of the object (%s) does not match the namespace on the request (%s)", scale.Namespace, info.Namespace))
	}
	scale.Namespace = info.Namespace
	return s.write(r.Context(), info.Namespace, info.Name, func(*autoscalingv1.Scale) (*autoscalingv1.Scale, error) {
		return scale.DeepCopy(), nil
	}, s.admitter(r, info, io, opts), len(opts.DryRun) > 0)
}

// admitter admits the update of a Scale with opts (admission may change
// the new Scale).
func (s *Scale) admitter(r *http.Request, info *endpoints.RequestInfo, io endpoints.IO, opts *metav1.UpdateOptions) func(scale, old *autoscalingv1.Scale) error {
	return func(scale, old *autoscalingv1.Scale) error {
		return io.Admit(r, info, admission.Attributes{
			Operation: admission.Update, Kind: scaleGVK, Object: scale, OldObject: old, DryRun: len(opts.DryRun) > 0, Options: opts,
		})
	}
}

// write replaces the object's replica count by the one of the Scale that
// next returns from the current Scale, admitted, inside the store's
// guarded update (next and admit may run again when another writer got
// there first).
func (s *Scale) write(ctx context.Context, namespace, name string, next func(old *autoscalingv1.Scale) (*autoscalingv1.Scale, error), admit func(scale, old *autoscalingv1.Scale) error, dryRun bool) (*autoscalingv1.Scale, error) {
	out, _, err := s.store.Update(ctx, namespace, name, "", func(_ context.Context, current storage.Object) (storage.Object, error) {
		if current == nil {
			return nil, apierrors.NewNotFound(s.gr, name)
		}
		old, err := s.scaleOf(current)
		if err != nil {
			return nil, err
		}
		scale, err := next(old)
		if err != nil {
			return nil, err
		}
		if err := admit(scale, old); err != nil {
			return nil, err
		}
		if errs := validateScale(scale); len(errs) > 0 {
			return nil, apierrors.NewInvalid(schema.GroupKind{Group: autoscalingv1.GroupName, Kind: "Scale"}, name, errs)
		}
		obj, ok := current.DeepCopyObject().(storage.Object)
		if !ok {
			return nil, apierrors.NewInternalError(fmt.Errorf("%s %s/%s: cannot copy %T", s.kind.GVR.Resource, namespace, name, current))
		}
		if err := s.kind.write(obj, scale.Spec.Replicas); err != nil {
			return nil, apierrors.NewInternalError(err)
		}
		obj.SetResourceVersion(scale.ResourceVersion)
		return obj, nil
	}, registry.WriteOptions{DryRun: dryRun})
	if err != nil {
		return nil, err
	}
	s.logger.Debug("scaled", zap.String("resource", s.kind.GVR.Resource), zap.String("object", namespace+"/"+name), zap.Bool("dryRun", dryRun))
	return s.scaleOf(out)
}

// scaleOf is obj's Scale.
func (s *Scale) scaleOf(obj storage.Object) (*autoscalingv1.Scale, error) {
	spec, status, selector, err := s.kind.read(obj)
	if err != nil {
		return nil, apierrors.NewBadRequest(err.Error())
	}
	return &autoscalingv1.Scale{
		TypeMeta: metav1.TypeMeta{Kind: scaleGVK.Kind, APIVersion: scaleGVK.GroupVersion().String()},
		ObjectMeta: metav1.ObjectMeta{
			Name: obj.GetName(), Namespace: obj.GetNamespace(), UID: obj.GetUID(),
			ResourceVersion: obj.GetResourceVersion(), CreationTimestamp: obj.GetCreationTimestamp(),
		},
		Spec:   autoscalingv1.ScaleSpec{Replicas: spec},
		Status: autoscalingv1.ScaleStatus{Replicas: status, Selector: selector},
	}, nil
}

// validateScale is upstream's ValidateScale.
func validateScale(scale *autoscalingv1.Scale) field.ErrorList {
	errs := apivalidation.ValidateObjectMeta(&scale.ObjectMeta, true, apivalidation.NameIsDNSSubdomain, field.NewPath("metadata"))
	if scale.Spec.Replicas < 0 {
		errs = append(errs, field.Invalid(field.NewPath("spec", "replicas"), scale.Spec.Replicas, "must be greater than or equal to 0"))
	}
	return errs
}
