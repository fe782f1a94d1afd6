package endpoints

import (
	"context"
	"net/http"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/skiff-dev/skiff/apiserver/admission"
	"github.com/skiff-dev/skiff/apiserver/fieldmanager"
)

// SubresourceHandler serves one subresource with its own logic:
// pods/binding, pods/eviction, pods/log, deployments/scale,
// serviceaccounts/token. It answers through io, as the rest of the API does,
// and has its writes admitted through io.Admit.
type SubresourceHandler interface {
	ServeSubresource(w http.ResponseWriter, r *http.Request, info *RequestInfo, io IO)
}

// Creator serves a resource that only answers create, without storage:
// TokenReview, SubjectAccessReview and the other reviews.
type Creator interface {
	// New returns an empty object of the kind the resource takes.
	New() runtime.Object
	// Create answers obj (decoded from the body and admitted) in namespace;
	// dryRun (dryRun=All) asks it to change nothing.
	Create(ctx context.Context, namespace string, obj runtime.Object, dryRun bool) (runtime.Object, error)
}

// IO reads bodies, admits writes (admit.go) and writes answers the way the
// resource API does.
type IO struct{ h *Handler }

// Decode reads the request body into into, which is of kind gvk: JSON,
// YAML or protobuf, with the request's fieldValidation.
func (io IO) Decode(w http.ResponseWriter, r *http.Request, gvk schema.GroupVersionKind, into runtime.Object) error {
	q := &request{h: io.h, w: w, r: r}
	body, err := q.readBody()
	if err != nil {
		return err
	}
	return q.decodeInto(body, gvk, into)
}

// Respond writes obj with the code.
func (io IO) Respond(w http.ResponseWriter, r *http.Request, code int, obj runtime.Object) {
	io.h.writeObject(w, r, code, obj)
}

// Fail writes err as a Status.
func (io IO) Fail(w http.ResponseWriter, r *http.Request, err error) { io.h.WriteError(w, r, err) }

// WithSubresource serves gvr's subresource name with h.
func WithSubresource(gvr schema.GroupVersionResource, name string, sh SubresourceHandler) Option {
	return func(h *Handler) {
		if h.subresources == nil {
			h.subresources = map[subresourceKey]SubresourceHandler{}
		}
		h.subresources[subresourceKey{gvr, name}] = sh
	}
}

// WithCreator serves gvr, whose objects are of kind gvk, with c.
func WithCreator(gvr schema.GroupVersionResource, gvk schema.GroupVersionKind, c Creator) Option {
	return func(h *Handler) {
		if h.creators == nil {
			h.creators = map[schema.GroupVersionResource]creator{}
		}
		h.creators[gvr] = creator{gvk: gvk, c: c}
	}
}

type subresourceKey struct {
	gvr  schema.GroupVersionResource
	name string
}

type creator struct {
	gvk schema.GroupVersionKind
	c   Creator
}

// serveCreator answers a request to a create-only resource.
func (h *Handler) serveCreator(w http.ResponseWriter, r *http.Request, info *RequestInfo, c creator) {
	if info.Verb != "create" || info.Name != "" {
		h.WriteError(w, r, apierrors.NewMethodNotSupported(schema.GroupResource{Group: info.APIGroup, Resource: info.Resource}, info.Verb))
		return
	}
	q := &request{h: h, w: w, r: r, info: info}
	var opts metav1.CreateOptions
	if !q.decodeParams(&opts) {
		return
	}
	if err := fieldmanager.ValidateCreateOptions(&opts); err != nil {
		h.WriteError(w, r, err)
		return
	}
	dry := len(opts.DryRun) > 0
	obj := c.c.New()
	if err := (IO{h}).Decode(w, r, c.gvk, obj); err != nil {
		h.WriteError(w, r, err)
		return
	}
	// Admitted as upstream admits a create of the resource, its name the
	// object's.
	a := admission.Attributes{Operation: admission.Create, Kind: c.gvk, Object: obj, DryRun: dry, Options: &opts}
	named := *info
	if m, ok := obj.(metav1.Object); ok {
		named.Name = m.GetName()
	}
	if err := (IO{h}).Admit(r, &named, a); err != nil {
		h.WriteError(w, r, err)
		return
	}
	out, err := c.c.Create(r.Context(), info.Namespace, a.Object, dry)
	if err != nil {
		h.WriteError(w, r, err)
		return
	}
	h.writeObject(w, r, http.StatusCreated, out)
}
