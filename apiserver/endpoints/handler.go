package endpoints

import (
	"net/http"

	"github.com/skiff-dev/skiff/apiserver/storage"
	"time"

	"go.uber.org/zap"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/skiff-dev/skiff/apiserver/admission"
	"github.com/skiff-dev/skiff/apiserver/authentication"
	"github.com/skiff-dev/skiff/apiserver/fieldmanager"
	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/scheme"
)

// DefaultMaxRequestBodyBytes is upstream's limit on a request body (3 MiB).
const DefaultMaxRequestBodyBytes = 3 << 20

// Handler serves the resource API of the stores it is given.
type Handler struct {
	logger       *zap.Logger
	codecs       *scheme.Codecs
	params       runtime.ParameterCodec
	stores       map[schema.GroupVersionResource]*registry.Store
	subresources map[subresourceKey]SubresourceHandler
	creators     map[schema.GroupVersionResource]creator
	metrics      *metrics
	fields       *fieldmanager.Manager // nil: managedFields are not tracked
	admission    *admission.Chain      // nil: no admission
	empties      map[schema.GroupVersionResource]EmptyCollection
	maxBodyBytes int64
	// minRequestTimeout bounds a watch: each lasts a random time between
	// it and twice it unless timeoutSeconds says otherwise.
	minRequestTimeout time.Duration
}

// Option configures a Handler.
type Option func(*Handler)

// WithMaxRequestBodyBytes sets the body limit (413 beyond it).
func WithMaxRequestBodyBytes(n int64) Option { return func(h *Handler) { h.maxBodyBytes = n } }

// WithFieldManager tracks managedFields and serves server-side apply.
func WithFieldManager(m *fieldmanager.Manager) Option { return func(h *Handler) { h.fields = m } }

// WithAdmission runs chain on every write.
func WithAdmission(chain *admission.Chain) Option { return func(h *Handler) { h.admission = chain } }

// WithMinRequestTimeout sets --min-request-timeout.
func WithMinRequestTimeout(d time.Duration) Option {
	return func(h *Handler) { h.minRequestTimeout = d }
}

// NewHandler returns the handler serving stores.
func NewHandler(logger *zap.Logger, codecs *scheme.Codecs, stores []*registry.Store, opts ...Option) *Handler {
	if logger == nil {
		logger = zap.NewNop()
	}
	h := &Handler{
		logger:            logger.Named("endpoints"),
		codecs:            codecs,
		params:            runtime.NewParameterCodec(codecs.Scheme()),
		stores:            make(map[schema.GroupVersionResource]*registry.Store, len(stores)),
		maxBodyBytes:      DefaultMaxRequestBodyBytes,
		minRequestTimeout: 1800 * time.Second,
	}
	for _, s := range stores {
		h.stores[s.Resource().GVR] = s
	}
	for _, o := range opts {
		o(h)
	}
	return h
}

// ServeHTTP serves one resource request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	info, ok := RequestInfoFrom(r.Context())
	if !ok {
		info = ParseRequestInfo(r)
	}
	gvr := schema.GroupVersionResource{Group: info.APIGroup, Version: info.APIVersion, Resource: info.Resource}
	if c, ok := h.creators[gvr]; ok && info.IsResourceRequest {
		h.serveCreator(w, r, info, c)
		return
	}
	if c, ok := h.empties[gvr]; ok && info.IsResourceRequest {
		h.serveEmpty(w, r, info, c)
		return
	}
	if sh, ok := h.subresources[subresourceKey{gvr, info.Subresource}]; ok && info.IsResourceRequest && info.Name != "" {
		sh.ServeSubresource(w, r, info, IO{h})
		return
	}
	store, ok := h.stores[gvr]
	if !info.IsResourceRequest || !ok {
		h.WriteError(w, r, errNoRoute())
		return
	}
	req := &request{h: h, w: w, r: r, info: info, store: store}
	if info.Subresource != "" && !store.HasSubresource(info.Subresource) {
		h.WriteError(w, r, errNoRoute())
		return
	}
	switch info.Verb {
	case "get":
		req.get()
	case "list":
		req.list()
	case "watch":
		req.watch()
	case "create":
		req.create()
	case "update":
		req.update()
	case "patch":
		req.patch()
	case "delete":
		req.delete()
	case "deletecollection":
		req.deleteCollection()
	default:
		h.WriteError(w, r, apierrors.NewMethodNotSupported(store.Resource().GroupResource(), info.Verb))
	}
}

// request is one resource request being served.
type request struct {
	h     *Handler
	w     http.ResponseWriter
	r     *http.Request
	info  *RequestInfo
	store *registry.Store
}

// errNoRoute is upstream's answer to a path no resource serves: a 404
// Status naming nothing.
func errNoRoute() error {
	return apierrors.NewGenericServerResponse(http.StatusNotFound, "", schema.GroupResource{}, "", "", 0, false)
}

func (q *request) fail(err error) { q.h.WriteError(q.w, q.r, err) }

// fieldsFor is the field manager of the request's kind and subresource
// (nil-safe: nil when fields are not tracked).
func (q *request) fieldsFor() *fieldmanager.KindManager {
	if q.h.fields == nil {
		return nil
	}
	return q.h.fields.ForKind(q.store.Resource().GroupVersionKind(), q.info.Subresource)
}

// attributes describe the request for admission.
func (q *request) attributes(op admission.Operation, name string, dry bool, options runtime.Object) admission.Attributes {
	res := q.store.Resource()
	user, _ := authentication.UserFrom(q.r.Context())
	return admission.Attributes{
		Operation: op, Kind: res.GroupVersionKind(), Resource: res.GVR, Subresource: q.info.Subresource,
		Namespace: q.info.Namespace, Name: name, User: user, DryRun: dry, Options: options,
	}
}

// admit runs mutating admission on obj (old is nil on create).
func (q *request) admit(base admission.Attributes, obj, old storage.Object) error {
	if q.h.admission == nil {
		return nil
	}
	return q.h.admission.Admit(q.r.Context(), base.WithObjects(obj, old))
}

// writeOptions are the registry options of a write, with validating
// admission described by base.
func (q *request) writeOptions(dry bool, base admission.Attributes) registry.WriteOptions {
	o := registry.WriteOptions{DryRun: dry}
	if q.h.admission != nil {
		o.Validate = q.h.admission.ValidateFunc(base)
	}
	if q.h.fields != nil {
		o.Normalize = func(obj, old storage.Object) { q.h.fields.KeepTimestampsOfNoop(obj, old) }
	}
	return o
}

// track records manager's write of obj over old in managedFields.
func (q *request) track(old, obj storage.Object, manager string) storage.Object {
	out, err := q.fieldsFor().Update(old, obj, manager)
	if err != nil {
		return obj
	}
	if so, ok := out.(storage.Object); ok {
		return so
	}
	return obj
}

func (q *request) respond(code int, obj runtime.Object) { q.h.writeObject(q.w, q.r, code, obj) }

// decodeParams reads the query into a *Options struct of meta/v1.
func (q *request) decodeParams(into runtime.Object) bool {
	if err := q.h.params.DecodeParameters(q.r.URL.Query(), schema.GroupVersion{Version: "v1"}, into); err != nil {
		q.fail(apierrors.NewBadRequest(err.Error()))
		return false
	}
	return true
}
