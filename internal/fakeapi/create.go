package fakeapi

import (
	"errors"
	"net/http"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// generateNameAttempts is how often create draws a new suffix when a
// generated name is taken, as upstream retries before giving up.
const generateNameAttempts = 8

// serveCreate answers a POST to a collection with 201 and the stored object.
func (s *Server) serveCreate(c *call) {
	body, err := objectBody(c)
	var data map[string]any
	if err == nil {
		data, err = decodeBody(body)
	}
	if err == nil {
		var o *object
		if o, err = s.create(c.t.res, c.t.namespace, data); err == nil {
			writeRaw(c.w, http.StatusCreated, o.raw)
			return
		}
	}
	writeError(c.w, err)
}

// create stores a new object as upstream's create does: the namespace from
// the path, a generated name, the fields the server owns, validation.
func (s *Server) create(res *resource, namespace string, data map[string]any) (*object, error) {
	if rv, _, _ := unstructured.NestedString(data, "metadata", "resourceVersion"); rv != "" {
		return nil, apierrors.NewInternalError(errors.New("resourceVersion should not be set on objects to be created"))
	}
	u, err := prepareCreate(res, namespace, data)
	if err != nil {
		return nil, err
	}
	generate := u.GetName() == "" && u.GetGenerateName() != ""
	for attempt := 1; ; attempt++ {
		if generate {
			u.SetName(u.GetGenerateName() + nameSuffix())
		}
		if err := validateCreate(res, u); err != nil {
			return nil, err
		}
		next := runtime.DeepCopyJSON(u.Object)
		o, err := s.store.mutate(res, u.GetNamespace(), u.GetName(), func(cur *object) (mutation, error) {
			if cur != nil {
				return mutation{}, apierrors.NewAlreadyExists(res.groupResource(), u.GetName())
			}
			return mutation{data: next}, nil
		})
		if generate && apierrors.IsAlreadyExists(err) {
			if attempt < generateNameAttempts {
				continue
			}
			return nil, apierrors.NewGenerateNameConflict(res.groupResource(), u.GetName(), 1)
		}
		return o, err
	}
}

// prepareCreate turns the client's object into a new object: the status a
// new object of the kind starts with, the namespace of the path, and the
// fields the server owns.
func prepareCreate(res *resource, namespace string, data map[string]any) (*unstructured.Unstructured, error) {
	if res.status && !res.keepStatusOnCreate {
		delete(data, "status")
		if res.initialStatus != nil {
			data["status"] = runtime.DeepCopyJSON(res.initialStatus)
		}
	}
	data, err := res.normalize(data)
	if err != nil {
		return nil, err
	}
	u := &unstructured.Unstructured{Object: data}
	if err := placeNamespace(res, u, namespace); err != nil {
		return nil, err
	}
	u.SetResourceVersion("")
	u.SetUID(types.UID(newUID()))
	u.SetCreationTimestamp(now())
	u.SetGeneration(1)
	u.SetDeletionTimestamp(nil)
	u.SetDeletionGracePeriodSeconds(nil)
	return u, nil
}

// placeNamespace puts the object in the namespace of the path: filled in
// when empty, a 400 when it differs, cleared for cluster-scoped kinds.
func placeNamespace(res *resource, u *unstructured.Unstructured, namespace string) error {
	if !res.namespaced {
		u.SetNamespace("")
		return nil
	}
	switch u.GetNamespace() {
	case "":
		u.SetNamespace(namespace)
	case namespace:
	default:
		return apierrors.NewBadRequest("the namespace of the provided object does not match the namespace sent on the request")
	}
	return nil
}

// validateCreate checks the metadata as upstream's ValidateObjectMeta does.
func validateCreate(res *resource, u *unstructured.Unstructured) error {
	meta, err := objectMeta(u.Object)
	if err != nil {
		return res.cannotHandle(err)
	}
	errs := validation.ValidateObjectMeta(meta, res.namespaced, res.nameFn, field.NewPath("metadata"))
	return res.invalid(u.GetName(), errs)
}

// invalid is the 422 for errs, nil when there are none.
func (r *resource) invalid(name string, errs field.ErrorList) error {
	if len(errs) == 0 {
		return nil
	}
	return apierrors.NewInvalid(schema.GroupKind{Group: r.gvr.Group, Kind: r.kind}, name, errs)
}

// now is the server's clock for timestamps, at second precision as
// metav1.Time serializes.
func now() metav1.Time { return metav1.NewTime(time.Now().UTC().Truncate(time.Second)) }
