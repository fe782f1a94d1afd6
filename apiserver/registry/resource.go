package registry

import (
	"context"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/storage"
)

// Resource describes one served resource.
type Resource struct {
	GVR          schema.GroupVersionResource
	Kind         string
	SingularName string
	Namespaced   bool
	ShortNames   []string
	Categories   []string
	// StoragePrefix is the etcd path under --etcd-prefix: "pods",
	// "services/specs", "minions" (upstream's keys).
	StoragePrefix string
	New           func() storage.Object
	NewList       func() runtime.Object

	Strategy Strategy
	// Status, when set, serves the status subresource with these rules.
	Status UpdateStrategy
	// Subresources are other subresources served by get, update and patch
	// of the object with their own rules (namespaces/finalize).
	Subresources map[string]UpdateStrategy
	// GetAttrs returns the labels and selectable fields; nil means
	// metadata.name and metadata.namespace only. SelectableFields names the
	// fields beyond those that field selectors may use (spec.nodeName, …).
	GetAttrs         storage.AttrFunc
	SelectableFields []string
	// Table renders objects for kubectl get; nil gives NAME and AGE.
	Table TableFunc
	// TTL, when set, gives objects an etcd lease (events: --event-ttl).
	TTL func(obj storage.Object) int64
	// ReturnDeletedObject: DELETE answers with the object (pods,
	// services, namespaces, …) rather than a Status, as upstream.
	ReturnDeletedObject bool
	// Reserver, when set, reserves what objects hold outside themselves
	// (Service IPs and node ports) before they are stored.
	Reserver Reserver
	// Storage, when set, keeps the objects in another kind's storage
	// (events.k8s.io/v1 Events as core/v1 Events), converted on the way.
	Storage *StorageVersion
	// AllowCreateOnUpdate: PUT creates a missing object (leases,
	// endpoints, events, …), as upstream.
	AllowCreateOnUpdate bool
}

// GroupResource is r's group and resource.
func (r *Resource) GroupResource() schema.GroupResource { return r.GVR.GroupResource() }

// GroupVersionKind is r's kind with its group and version.
func (r *Resource) GroupVersionKind() schema.GroupVersionKind {
	return r.GVR.GroupVersion().WithKind(r.Kind)
}

// Strategy is a kind's rules for create and update (the main resource).
type Strategy interface {
	CreateStrategy
	UpdateStrategy
}

// CreateStrategy prepares and validates a new object. Metadata rules
// (name, labels, annotations) are the registry's; these are the kind's.
type CreateStrategy interface {
	// Default fills defaults, as upstream's defaulting functions do; it runs
	// on every decoded body, before admission.
	Default(obj storage.Object)
	// PrepareForCreate clears what a user may not set (status) and sets
	// what the server owns (generation, phase).
	PrepareForCreate(ctx context.Context, obj storage.Object)
	Validate(ctx context.Context, obj storage.Object) field.ErrorList
}

// UpdateStrategy prepares and validates a replacement of old by obj.
type UpdateStrategy interface {
	// PrepareForUpdate keeps what this endpoint may not change (the status
	// on the main resource, the spec on status) from old.
	PrepareForUpdate(ctx context.Context, obj, old storage.Object)
	ValidateUpdate(ctx context.Context, obj, old storage.Object) field.ErrorList
}

// Reserver reserves resources outside the object (Service cluster IPs and
// node ports) for a write, and frees them when they are no longer held.
type Reserver interface {
	// Reserve fills obj with what it needs reserved (old is nil on
	// create) and returns the undo for a write that fails.
	Reserve(ctx context.Context, obj, old storage.Object) (undo func(), err error)
	// Release frees what old held and obj (nil after a delete) does not.
	Release(ctx context.Context, obj, old storage.Object)
}

// StorageVersion is the kind objects are stored as, and the conversions.
type StorageVersion struct {
	New  func() storage.Object               // an empty stored object
	To   func(storage.Object) storage.Object // served → stored
	From func(storage.Object) storage.Object // stored → served
}

// TableFunc renders objects as table rows with their columns; wide adds
// the -o wide columns.
type TableFunc func(objs []storage.Object, wide bool) (*metav1.Table, error)
