package app

import (
	"context"
	"fmt"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"

	"github.com/skiff-dev/skiff/apiserver/allocator"
	"github.com/skiff-dev/skiff/apiserver/authentication"
	"github.com/skiff-dev/skiff/apiserver/authorization"
	"github.com/skiff-dev/skiff/apiserver/discovery"
	"github.com/skiff-dev/skiff/apiserver/endpoints"
	"github.com/skiff-dev/skiff/apiserver/fieldmanager"
	"github.com/skiff-dev/skiff/apiserver/filters"
	"github.com/skiff-dev/skiff/apiserver/openapi"
	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/scheme"
	"github.com/skiff-dev/skiff/apiserver/storage"
	"github.com/skiff-dev/skiff/apiserver/watchcache"
	"github.com/skiff-dev/skiff/internal/daemon"
	"github.com/skiff-dev/skiff/internal/version"
)

// server is the assembled apiserver.
type server struct {
	logger     *zap.Logger
	codecs     *scheme.Codecs
	storage    *storage.Store
	stores     []*registry.Store
	backends   []*storage.Resource // stores[i]'s
	caches     []*watchcache.Cache
	objects    *objects
	services   *allocator.Services
	ready      *bootstrapReadiness
	securePort int
	handler    http.Handler
}

// newServer builds storage, the registry, the watch caches and the
// handler chain on d.
func newServer(ctx context.Context, d *daemon.Daemon, o *Options) (*server, error) {
	etcd, err := newEtcdClient(d.Logger, o)
	if err != nil {
		return nil, err
	}
	codecs := scheme.NewCodecs(scheme.New())
	st := storage.New(d.Logger, etcd, o.EtcdPrefix, d.Registry)
	s := &server{logger: d.Logger, codecs: codecs, storage: st}

	resources := servedResources(o)
	if err := registry.AddConversions(codecs.Scheme(), resources); err != nil {
		return nil, err
	}
	services, err := newServiceAllocator(st, codecs, o)
	if err != nil {
		return nil, err
	}
	s.services = services
	for _, res := range resources {
		if res.GVR.Group == "" && res.GVR.Resource == "services" {
			res.Reserver = services
		}
		stored := st.Resource(res.StoragePrefix, codecs.Storage(), res.New)
		var backend registry.StoredBackend = stored
		if res.Storage != nil {
			stored = st.Resource(res.StoragePrefix, codecs.Storage(), res.Storage.New)
			backend = registry.NewConverting(stored, res.Storage)
		}
		attrs := res.GetAttrs
		if attrs == nil {
			attrs = registry.DefaultAttrs
		}
		cache := watchcache.New(d.Logger, backend, backend.Prefix(""), watchcache.Config{
			Resource: res.GVR.GroupResource().String(), KeyFunc: watchcache.NamespaceKey,
			GetAttrs: attrs, Registerer: d.Registry,
		})
		s.caches = append(s.caches, cache)
		s.stores = append(s.stores, registry.NewStore(res, backend, cache))
		s.backends = append(s.backends, stored)
	}

	objs := newObjects(s.stores)
	s.objects = objs
	authnMetrics, err := authentication.NewMetrics(d.Registry)
	if err != nil {
		return nil, err
	}
	authn, audiences, err := newAuthenticator(d.Logger, o, objs, authnMetrics)
	if err != nil {
		return nil, err
	}
	authz, err := newAuthorizer(d.Logger, o, objs)
	if err != nil {
		return nil, err
	}
	ext, err := s.extensions(o, &o.Kubelet, authn, audiences, authz, d.Registry)
	if err != nil {
		return nil, err
	}
	disc := extensionDiscovery(o, discoveryResources(resources))
	info := version.Get()
	discoveryHandler := discovery.New(append(disc, crdDiscovery), discovery.Info{
		GitVersion: info.GitVersion, GitCommit: info.GitCommit, GitTreeState: "clean",
		GoVersion: info.GoVersion, Compiler: info.Compiler, Platform: info.Platform,
	})
	openapiHandler, err := openapi.New(d.Logger, disc, info.GitVersion)
	if err != nil {
		return nil, fmt.Errorf("openapi: %w", err)
	}
	admissionChain, err := newAdmission(d.Logger, o, objs, d.Registry)
	if err != nil {
		return nil, err
	}
	fields, err := newFieldManager(d, codecs, resources)
	if err != nil {
		return nil, err
	}
	api := endpoints.NewHandler(d.Logger, codecs, s.stores, append(ext,
		endpoints.WithMinRequestTimeout(secondsOf(o.MinRequestTimeout)),
		endpoints.WithRegisterer(d.Registry), endpoints.WithFieldManager(fields), endpoints.WithAdmission(admissionChain),
		endpoints.WithEmptyCollection(crds))...)

	mux := d.Mux
	for _, p := range discoveryHandler.Paths() {
		mux.Handle(p, discoveryHandler)
	}
	apiRoot := routeResources(api, discoveryHandler)
	mux.Handle("/api/", apiRoot)
	mux.Handle("/apis/", apiRoot)
	mux.Handle("/openapi/v2", openapiHandler)
	mux.Handle("/openapi/v3", openapiHandler)
	mux.Handle("/openapi/v3/", openapiHandler)

	d.Health.Add(daemon.Livez|daemon.Readyz|daemon.Healthz, daemon.Check{Name: "etcd", Fn: func(r *http.Request) error {
		return st.Check(r.Context())
	}})
	d.Health.Add(daemon.Readyz, daemon.Check{Name: "informer-sync", Fn: func(*http.Request) error {
		for _, c := range s.caches {
			if !c.Ready() {
				return fmt.Errorf("watch caches are still filling")
			}
		}
		return nil
	}})

	s.ready = newBootstrapReadiness(s.stores)
	d.Health.Add(daemon.Readyz, daemon.Check{Name: "poststarthook/rbac/bootstrap-roles", Fn: func(r *http.Request) error {
		return s.ready.check(r.Context())
	}})

	s.handler = chain(d.Logger, d.Registry, o, authn, audiences, authnMetrics, authz, mux)
	return s, nil
}

// routeResources sends resource requests to the API and the rest of
// /api and /apis (discovery documents) to discovery.
func routeResources(api, disc http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if info, ok := endpoints.RequestInfoFrom(r.Context()); ok && info.IsResourceRequest {
			api.ServeHTTP(w, r)
			return
		}
		disc.ServeHTTP(w, r)
	})
}

// chain wraps the mux in the request filters, outermost first: panic
// recovery, request info, metrics, authentication, in-flight limits,
// authorization — upstream's order.
func chain(logger *zap.Logger, reg prometheus.Registerer, o *Options, authn authentication.Authenticator, audiences []string, am *authentication.Metrics, authz authorization.Authorizer, mux http.Handler) http.Handler {
	m := filters.NewMetrics(reg)
	h := filters.WithAuthorization(authz, mux)
	h = filters.WithMaxInFlight(o.MaxRequestsInflight, o.MaxMutatingRequestsInflight, m, h)
	h = authentication.WithAuthentication(logger, h, authn, nil, audiences, am)
	h = filters.WithMetrics(m, h)
	h = filters.WithRequestInfo(h)
	h = filters.WithPanicRecovery(logger, h)
	return filters.WithWriteWorkers(h)
}

// newFieldManager tracks managedFields, and serves server-side apply, for
// every served kind and its subresources.
func newFieldManager(d *daemon.Daemon, codecs *scheme.Codecs, resources []*registry.Resource) (*fieldmanager.Manager, error) {
	kinds := make([]fieldmanager.Kind, 0, len(resources))
	for _, r := range resources {
		k := fieldmanager.Kind{GVK: r.GroupVersionKind()}
		if r.Status != nil {
			k.Subresources = append(k.Subresources, "status")
		}
		for name := range r.Subresources {
			k.Subresources = append(k.Subresources, name)
		}
		kinds = append(kinds, k)
	}
	m, err := fieldmanager.New(d.Logger, codecs.Scheme(), kinds, fieldmanager.WithRegisterer(d.Registry))
	if err != nil {
		return nil, fmt.Errorf("field manager: %w", err)
	}
	return m, nil
}
