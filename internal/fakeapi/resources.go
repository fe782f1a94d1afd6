package fakeapi

import (
	"fmt"
	"reflect"
	"sort"
	"sync"

	appsv1 "k8s.io/api/apps/v1"
	coordinationv1 "k8s.io/api/coordination/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/validation"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// The resources every Server serves from the start.
var (
	Namespaces      = schema.GroupVersionResource{Version: "v1", Resource: "namespaces"}
	Nodes           = schema.GroupVersionResource{Version: "v1", Resource: "nodes"}
	Pods            = schema.GroupVersionResource{Version: "v1", Resource: "pods"}
	ConfigMaps      = schema.GroupVersionResource{Version: "v1", Resource: "configmaps"}
	Secrets         = schema.GroupVersionResource{Version: "v1", Resource: "secrets"}
	Services        = schema.GroupVersionResource{Version: "v1", Resource: "services"}
	Endpoints       = schema.GroupVersionResource{Version: "v1", Resource: "endpoints"}
	Events          = schema.GroupVersionResource{Version: "v1", Resource: "events"}
	ServiceAccounts = schema.GroupVersionResource{Version: "v1", Resource: "serviceaccounts"}
	Leases          = schema.GroupVersionResource{Group: "coordination.k8s.io", Version: "v1", Resource: "leases"}
	Deployments     = schema.GroupVersionResource{Group: "apps", Version: "v1", Resource: "deployments"}
)

// resource is one registered collection and the upstream behaviour that
// differs between kinds.
type resource struct {
	gvr        schema.GroupVersionResource
	kind       string
	namespaced bool
	// status: the kind has a status subresource; the main PUT keeps .status
	// and PUT .../status changes only .status.
	status bool
	// keepStatusOnCreate: create stores the client's .status (nodes);
	// otherwise kinds with a status subresource start from initialStatus.
	keepStatusOnCreate bool
	initialStatus      map[string]any
	// goType is the k8s.io/api type of the kind: bodies are decoded through
	// it and strategic merge patches use its patch metadata. Nil for kinds
	// registered without one.
	goType reflect.Type
	// returnDeleted: DELETE answers with the object rather than a Success
	// Status, as upstream does for pods, services and namespaces.
	returnDeleted bool
	// createOnUpdate: a PUT of a missing object creates it.
	createOnUpdate bool
	nameFn         validation.ValidateNameFunc
}

func (r *resource) groupResource() schema.GroupResource { return r.gvr.GroupResource() }

func (r *resource) apiVersion() string { return r.gvr.GroupVersion().String() }

// ResourceOption adjusts a resource given to Register.
type ResourceOption func(*resource)

// WithStatusSubresource gives the kind a status subresource.
func WithStatusSubresource() ResourceOption {
	return func(r *resource) { r.status = true }
}

// WithGoType names the Go type of the kind (a pointer to a k8s.io/api struct
// such as &batchv1.Job{}): bodies are decoded through it and strategic merge
// patch is accepted.
func WithGoType(example any) ResourceOption {
	return func(r *resource) { r.goType = reflect.TypeOf(example).Elem() }
}

// WithDeletedObjectReturned makes DELETE answer with the deleted object
// instead of a Success Status.
func WithDeletedObjectReturned() ResourceOption {
	return func(r *resource) { r.returnDeleted = true }
}

// registry holds the registered resources.
type registry struct {
	mu  sync.RWMutex
	all map[schema.GroupVersionResource]*resource
}

func newRegistry() *registry {
	reg := &registry{all: map[schema.GroupVersionResource]*resource{}}
	type builtin struct {
		gvr        schema.GroupVersionResource
		kind       string
		namespaced bool
		example    any
		opts       []ResourceOption
	}
	status := WithStatusSubresource()
	returned := WithDeletedObjectReturned()
	for _, b := range []builtin{
		{Namespaces, "Namespace", false, &corev1.Namespace{}, []ResourceOption{status, returned}},
		{Nodes, "Node", false, &corev1.Node{}, []ResourceOption{status}},
		{Pods, "Pod", true, &corev1.Pod{}, []ResourceOption{status, returned}},
		{ConfigMaps, "ConfigMap", true, &corev1.ConfigMap{}, nil},
		{Secrets, "Secret", true, &corev1.Secret{}, nil},
		{Services, "Service", true, &corev1.Service{}, []ResourceOption{status, returned}},
		{Endpoints, "Endpoints", true, &corev1.Endpoints{}, nil},
		{Events, "Event", true, &corev1.Event{}, nil},
		{ServiceAccounts, "ServiceAccount", true, &corev1.ServiceAccount{}, nil},
		{Leases, "Lease", true, &coordinationv1.Lease{}, nil},
		{Deployments, "Deployment", true, &appsv1.Deployment{}, []ResourceOption{status}},
	} {
		r := reg.add(b.gvr, b.kind, b.namespaced, append(b.opts, WithGoType(b.example))...)
		switch b.kind {
		case "Pod":
			r.initialStatus = map[string]any{"phase": "Pending"}
		case "Namespace":
			r.initialStatus = map[string]any{"phase": "Active"}
			r.nameFn = validation.NameIsDNSLabel
		case "Service":
			r.nameFn = validation.NameIsDNS1035Label
		case "Node":
			r.keepStatusOnCreate = true
		case "Lease", "Endpoints", "Event":
			r.createOnUpdate = true
		}
	}
	return reg
}

func (reg *registry) add(gvr schema.GroupVersionResource, kind string, namespaced bool, opts ...ResourceOption) *resource {
	if gvr.Resource == "" || gvr.Version == "" || kind == "" {
		panic(fmt.Sprintf("fakeapi: Register needs a version, a resource and a kind, got %v %q", gvr, kind))
	}
	r := &resource{gvr: gvr, kind: kind, namespaced: namespaced, nameFn: validation.NameIsDNSSubdomain}
	for _, opt := range opts {
		opt(r)
	}
	reg.mu.Lock()
	defer reg.mu.Unlock()
	if _, ok := reg.all[gvr]; ok {
		panic(fmt.Sprintf("fakeapi: resource %v registered twice", gvr))
	}
	reg.all[gvr] = r
	return r
}

func (reg *registry) get(gvr schema.GroupVersionResource) *resource {
	reg.mu.RLock()
	defer reg.mu.RUnlock()
	return reg.all[gvr]
}

// mustGet is for the test-side helpers, where an unknown resource is a
// mistake in the test.
func (reg *registry) mustGet(gvr schema.GroupVersionResource) *resource {
	r := reg.get(gvr)
	if r == nil {
		panic(fmt.Sprintf("fakeapi: resource %v is not registered", gvr))
	}
	return r
}

// list returns the resources sorted by group, version and resource.
func (reg *registry) list() []*resource {
	reg.mu.RLock()
	defer reg.mu.RUnlock()
	out := make([]*resource, 0, len(reg.all))
	for _, r := range reg.all {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].gvr, out[j].gvr
		if a.Group != b.Group {
			return a.Group < b.Group
		}
		if a.Version != b.Version {
			return a.Version < b.Version
		}
		return a.Resource < b.Resource
	})
	return out
}
