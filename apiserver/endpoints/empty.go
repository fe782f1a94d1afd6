package endpoints

import (
	"fmt"
	"net/http"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// EmptyCollection is a cluster-scoped resource skiff does not serve yet
// but that clients look into: it exists, holds nothing and takes nothing.
// get answers 404 and list an empty list; every other verb is refused with
// 405 and Reason. apiextensions.k8s.io CustomResourceDefinitions are one:
// kubectl lists them to tell an unknown kind from a custom one. Unlike
// upstream's lists, the empty list carries no resourceVersion: nothing is
// stored, so there is no revision to watch from (watch is not served).
type EmptyCollection struct {
	GVR    schema.GroupVersionResource
	Kind   string // "CustomResourceDefinition"
	Reason string // why writes are refused, for the 405's message
}

// WithEmptyCollection serves c.
func WithEmptyCollection(c EmptyCollection) Option {
	return func(h *Handler) {
		if h.empties == nil {
			h.empties = map[schema.GroupVersionResource]EmptyCollection{}
		}
		h.empties[c.GVR] = c
	}
}

// serveEmpty answers a request to an empty collection.
func (h *Handler) serveEmpty(w http.ResponseWriter, r *http.Request, info *RequestInfo, c EmptyCollection) {
	gr := c.GVR.GroupResource()
	switch {
	case info.Subresource != "" || info.Namespace != "":
		h.WriteError(w, r, errNoRoute())
	case info.Verb == "get":
		h.WriteError(w, r, apierrors.NewNotFound(gr, info.Name))
	case info.Verb == "list":
		h.writeObject(w, r, http.StatusOK, h.emptyList(r, c))
	default:
		h.WriteError(w, r, &apierrors.StatusError{ErrStatus: metav1.Status{
			Status: metav1.StatusFailure, Code: http.StatusMethodNotAllowed, Reason: metav1.StatusReasonMethodNotAllowed,
			Message: fmt.Sprintf("%s is not supported on %s: %s", info.Verb, gr, c.Reason),
			Details: &metav1.StatusDetails{Group: gr.Group, Kind: gr.Resource, Name: info.Name},
		}})
	}
}

// emptyList is the list, or the Table when asked for one, with no items.
func (h *Handler) emptyList(r *http.Request, c EmptyCollection) runtime.Object {
	if out, err := negotiate(r); err == nil && out.table {
		t := defaultTable(nil)
		t.TypeMeta = metav1.TypeMeta{Kind: "Table", APIVersion: "meta.k8s.io/v1"}
		t.Rows = []metav1.TableRow{} // "rows": [], not null
		return t
	}
	list := &unstructured.UnstructuredList{Object: map[string]any{"metadata": map[string]any{}}, Items: []unstructured.Unstructured{}}
	list.SetGroupVersionKind(c.GVR.GroupVersion().WithKind(c.Kind + "List"))
	return list
}
