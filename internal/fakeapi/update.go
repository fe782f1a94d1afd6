package fakeapi

import (
	"fmt"
	"net/http"
	"reflect"
	"strconv"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/validation"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// serveUpdate answers a PUT of an object or its status.
func (s *Server) serveUpdate(c *call) {
	body, err := objectBody(c)
	var in map[string]any
	if err == nil {
		in, err = decodeBody(body)
	}
	if err != nil {
		writeError(c.w, err)
		return
	}
	created := false
	o, err := s.store.mutate(c.t.res, c.t.namespace, c.t.name, func(cur *object) (mutation, error) {
		if cur != nil {
			return nextState(c.t, cur, in)
		}
		if !c.t.res.createOnUpdate || c.t.sub != "" {
			return mutation{}, apierrors.NewNotFound(c.t.res.groupResource(), c.t.name)
		}
		created = true
		return createOnUpdate(c.t, in)
	})
	if err != nil {
		writeError(c.w, err)
		return
	}
	code := http.StatusOK
	if created {
		code = http.StatusCreated
	}
	writeRaw(c.w, code, o.raw)
}

// createOnUpdate is a PUT that creates, for the kinds upstream allows it
// (leases, endpoints, events); a resourceVersion in the body is ignored.
func createOnUpdate(t target, in map[string]any) (mutation, error) {
	u, err := prepareCreate(t.res, t.namespace, in)
	if err != nil {
		return mutation{}, err
	}
	if u.GetName() != t.name {
		return mutation{}, nameMismatch(u.GetName(), t.name)
	}
	if err := validateCreate(t.res, u); err != nil {
		return mutation{}, err
	}
	return mutation{data: u.Object}, nil
}

func nameMismatch(body, url string) error {
	return apierrors.NewBadRequest(fmt.Sprintf("the name of the object (%s) does not match the name on the URL (%s)", body, url))
}

// nextState decides what an update (PUT, or a PATCH once applied) of cur
// to the client's object in stores, as upstream's update does:
//   - the body's name must be the URL's (400);
//   - a resourceVersion in the body must be cur's (409 otherwise); none
//     updates unconditionally;
//   - the status subresource changes only .status, and the main resource
//     never changes .status of kinds that have the subresource;
//   - uid, creationTimestamp, generation and the deletion fields stay the
//     server's; generation goes up when .spec changes;
//   - an update that changes nothing writes nothing (no new revision);
//   - an update that empties the finalizers of an object being deleted
//     deletes it.
func nextState(t target, cur *object, in map[string]any) (mutation, error) {
	res := t.res
	in, err := res.normalize(in)
	if err != nil {
		return mutation{}, err
	}
	u := &unstructured.Unstructured{Object: in}
	if u.GetName() != t.name {
		return mutation{}, nameMismatch(u.GetName(), t.name)
	}
	if err := placeNamespace(res, u, t.namespace); err != nil {
		return mutation{}, err
	}
	if rv := u.GetResourceVersion(); rv != "" {
		n, err := strconv.ParseUint(rv, 10, 64)
		if err != nil {
			return mutation{}, res.invalid(t.name, field.ErrorList{field.Invalid(field.NewPath("metadata", "resourceVersion"), rv, err.Error())})
		}
		if int64(n) != cur.rv {
			return mutation{}, conflict(res.groupResource(), t.name)
		}
	}
	var next map[string]any
	if t.sub == "status" {
		next = cur.copyData()
		setOrDelete(next, "status", in["status"])
	} else {
		next, err = mainUpdate(res, cur, u)
		if err != nil {
			return mutation{}, err
		}
	}
	setRV(next, cur.rv)
	if next, err = toMap(next); err != nil {
		return mutation{}, err
	}
	if reflect.DeepEqual(next, cur.data) {
		return mutation{}, nil
	}
	nu := unstructured.Unstructured{Object: next}
	if nu.GetDeletionTimestamp() != nil && len(nu.GetFinalizers()) == 0 {
		return mutation{remove: true}, nil
	}
	return mutation{data: next}, nil
}

// mainUpdate keeps what the server owns from cur in the client's object u.
func mainUpdate(res *resource, cur *object, u *unstructured.Unstructured) (map[string]any, error) {
	old := &unstructured.Unstructured{Object: cur.data}
	if u.GetUID() == "" {
		u.SetUID(old.GetUID())
	}
	u.SetCreationTimestamp(old.GetCreationTimestamp())
	u.SetGeneration(old.GetGeneration())
	u.SetDeletionTimestamp(old.GetDeletionTimestamp())
	u.SetDeletionGracePeriodSeconds(old.GetDeletionGracePeriodSeconds())
	u.SetResourceVersion(old.GetResourceVersion())
	if res.status {
		setOrDelete(u.Object, "status", old.Object["status"])
	}
	if !reflect.DeepEqual(u.Object["spec"], old.Object["spec"]) {
		u.SetGeneration(old.GetGeneration() + 1)
	}
	newMeta, err := objectMeta(u.Object)
	if err != nil {
		return nil, res.cannotHandle(err)
	}
	oldMeta, err := objectMeta(old.Object)
	if err != nil {
		return nil, apierrors.NewInternalError(err)
	}
	if err := res.invalid(u.GetName(), validation.ValidateObjectMetaUpdate(newMeta, oldMeta, field.NewPath("metadata"))); err != nil {
		return nil, err
	}
	return u.Object, nil
}

// setOrDelete sets m[key] to v, or removes the key when v is nil.
func setOrDelete(m map[string]any, key string, v any) {
	if v == nil {
		delete(m, key)
		return
	}
	m[key] = v
}
