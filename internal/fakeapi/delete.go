package fakeapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	utiljson "k8s.io/apimachinery/pkg/util/json"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// serveDelete answers a DELETE of one object. Kinds upstream returns the
// object for (pods, services, namespaces) get it back; others get a Success
// Status naming it. An object with finalizers is only marked for deletion
// and comes back as it now is.
func (s *Server) serveDelete(c *call) {
	res := c.t.res
	opts, err := s.deleteOptions(c)
	if err != nil {
		writeError(c.w, err)
		return
	}
	o, deleted, err := s.deleteObject(res, c.t.namespace, c.t.name, opts)
	if err != nil {
		writeError(c.w, err)
		return
	}
	switch {
	case !deleted && opts.OrphanDependents != nil && !*opts.OrphanDependents: //nolint:staticcheck // upstream still honours it
		writeRaw(c.w, http.StatusAccepted, o.raw)
	case !deleted || res.returnDeleted:
		writeRaw(c.w, http.StatusOK, o.raw)
	default:
		u := unstructured.Unstructured{Object: o.data}
		writeJSON(c.w, http.StatusOK, &metav1.Status{
			TypeMeta: metav1.TypeMeta{Kind: "Status", APIVersion: "v1"},
			Status:   metav1.StatusSuccess,
			Details: &metav1.StatusDetails{
				Name:  o.name,
				Group: res.gvr.Group,
				Kind:  res.gvr.Resource, // upstream puts the resource here
				UID:   u.GetUID(),
			},
		})
	}
}

// serveDeleteCollection deletes every object the selectors match, one
// revision each, and answers with the list of them as they were.
func (s *Server) serveDeleteCollection(c *call) {
	res := c.t.res
	f, err := parseFilter(c.r.URL.Query(), c.t.namespace)
	if err != nil {
		writeError(c.w, err)
		return
	}
	opts, err := s.deleteOptions(c)
	if err != nil {
		writeError(c.w, err)
		return
	}
	objs, rev, err := s.store.list(res, 0)
	if err != nil {
		writeError(c.w, err)
		return
	}
	items := []json.RawMessage{}
	for _, o := range objs {
		if !f.matches(o) {
			continue
		}
		if _, _, err := s.deleteObject(res, o.namespace, o.name, opts); err != nil {
			if apierrors.IsNotFound(err) {
				continue // deleted meanwhile
			}
			writeError(c.w, err)
			return
		}
		items = append(items, o.listItem(res))
	}
	writeList(c.w, res, metav1.ListMeta{ResourceVersion: strconv.FormatInt(rev, 10)}, items)
}

// deleteObject deletes one object, or marks it for deletion when it has
// finalizers. deleted says whether it is gone.
func (s *Server) deleteObject(res *resource, namespace, name string, opts *metav1.DeleteOptions) (o *object, deleted bool, err error) {
	o, err = s.store.mutate(res, namespace, name, func(cur *object) (mutation, error) {
		if cur == nil {
			return mutation{}, apierrors.NewNotFound(res.groupResource(), name)
		}
		if err := checkPreconditions(res, name, cur, opts.Preconditions); err != nil {
			return mutation{}, err
		}
		u := unstructured.Unstructured{Object: cur.data}
		if len(u.GetFinalizers()) == 0 {
			deleted = true
			return mutation{remove: true}, nil
		}
		if u.GetDeletionTimestamp() != nil {
			return mutation{}, nil // already being deleted
		}
		next := unstructured.Unstructured{Object: cur.copyData()}
		ts := now()
		zero := int64(0)
		next.SetDeletionTimestamp(&ts)
		next.SetDeletionGracePeriodSeconds(&zero)
		if g := next.GetGeneration(); g > 0 {
			next.SetGeneration(g + 1)
		}
		return mutation{data: next.Object}, nil
	})
	return o, deleted, err
}

func checkPreconditions(res *resource, name string, cur *object, p *metav1.Preconditions) error {
	if p == nil {
		return nil
	}
	u := unstructured.Unstructured{Object: cur.data}
	if p.UID != nil && *p.UID != u.GetUID() {
		return apierrors.NewConflict(res.groupResource(), name,
			fmt.Errorf("Precondition failed: UID in precondition: %v, UID in object meta: %v", *p.UID, u.GetUID()))
	}
	if p.ResourceVersion != nil && *p.ResourceVersion != u.GetResourceVersion() {
		return apierrors.NewConflict(res.groupResource(), name,
			fmt.Errorf("Precondition failed: ResourceVersion in precondition: %v, ResourceVersion in object meta: %v", *p.ResourceVersion, u.GetResourceVersion()))
	}
	return nil
}

// deleteOptions reads DeleteOptions from the body or, without one, from the
// query, as upstream does, and records them with the request.
func (s *Server) deleteOptions(c *call) (*metav1.DeleteOptions, error) {
	opts := &metav1.DeleteOptions{}
	if len(bytes.TrimSpace(c.body)) > 0 {
		if err := utiljson.Unmarshal(c.body, opts); err != nil {
			return nil, apierrors.NewBadRequest(err.Error())
		}
	} else if err := deleteOptionsFromQuery(c, opts); err != nil {
		return nil, err
	}
	s.recordDeleteOptions(c.idx, opts)
	if len(opts.DryRun) > 0 {
		return nil, errDryRun
	}
	var errs field.ErrorList
	if p := opts.PropagationPolicy; p != nil {
		allowed := []string{string(metav1.DeletePropagationForeground), string(metav1.DeletePropagationBackground), string(metav1.DeletePropagationOrphan)}
		if !slices.Contains(allowed, string(*p)) {
			errs = append(errs, field.NotSupported(field.NewPath("propagationPolicy"), *p, allowed))
		}
		if opts.OrphanDependents != nil { //nolint:staticcheck // upstream still validates it
			errs = append(errs, field.Invalid(field.NewPath("propagationPolicy"), *p, "orphanDependents and deletionPropagation cannot be both set"))
		}
	}
	if len(errs) > 0 {
		return nil, apierrors.NewInvalid(schema.GroupKind{Group: metav1.GroupName, Kind: "DeleteOptions"}, "", errs)
	}
	return opts, nil
}

func deleteOptionsFromQuery(c *call, opts *metav1.DeleteOptions) error {
	q := c.r.URL.Query()
	if v := q.Get("gracePeriodSeconds"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return apierrors.NewBadRequest(fmt.Sprintf("gracePeriodSeconds: %v", err))
		}
		opts.GracePeriodSeconds = &n
	}
	if v := q.Get("propagationPolicy"); v != "" {
		p := metav1.DeletionPropagation(v)
		opts.PropagationPolicy = &p
	}
	if v := q.Get("orphanDependents"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return apierrors.NewBadRequest(fmt.Sprintf("orphanDependents: %v", err))
		}
		opts.OrphanDependents = &b //nolint:staticcheck // upstream still honours it
	}
	return nil
}
