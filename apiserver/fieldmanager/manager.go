package fieldmanager

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/managedfields"
)

// Kind is one served kind whose writes are tracked.
type Kind struct {
	GVK schema.GroupVersionKind
	// Subresources are the subresources that write the object through
	// update and patch ("status", "finalize"); their writes are recorded
	// with the subresource's name.
	Subresources []string
}

// Manager holds the field managers of the served kinds, built on one
// TypeConverter made from the kinds' schemas.
type Manager struct {
	logger  *zap.Logger
	kinds   map[kindKey]*KindManager
	metrics *metrics
}

// Option configures a Manager.
type Option func(*options)

type options struct {
	registerer prometheus.Registerer
}

// WithRegisterer registers the Manager's metrics on reg.
func WithRegisterer(reg prometheus.Registerer) Option {
	return func(o *options) { o.registerer = reg }
}

type kindKey struct {
	gvk         schema.GroupVersionKind
	subresource string
}

// KindManager tracks the writes of one kind through one endpoint (the
// object itself, or a subresource). A nil *KindManager tracks nothing.
type KindManager struct {
	logger      *zap.Logger
	gvk         schema.GroupVersionKind
	subresource string
	creater     runtime.ObjectCreater
	fields      *managedfields.FieldManager
	create      *creation
}

// New builds the schemas of kinds' Go types, as s registers them, and
// one field manager per kind and subresource.
func New(logger *zap.Logger, s *runtime.Scheme, kinds []Kind, opts ...Option) (*Manager, error) {
	if logger == nil {
		logger = zap.NewNop()
	}
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	met, err := newMetrics(o.registerer)
	if err != nil {
		return nil, fmt.Errorf("register metrics: %w", err)
	}
	logger = logger.Named("fieldmanager")
	known := s.AllKnownTypes()
	defs := newSchemas()
	for _, k := range kinds {
		t, ok := known[k.GVK]
		if !ok {
			return nil, fmt.Errorf("kind %s: not registered in the scheme", k.GVK)
		}
		if err := defs.addKind(t, k.GVK); err != nil {
			return nil, err
		}
	}
	converter, err := managedfields.NewTypeConverter(defs.defs, false)
	if err != nil {
		return nil, fmt.Errorf("build type converter: %w", err)
	}
	m := &Manager{logger: logger, kinds: map[kindKey]*KindManager{}, metrics: met}
	plans := newPlanner() // the converter's schema's, shared by the kinds' creates
	for _, k := range kinds {
		for _, sub := range append([]string{""}, k.Subresources...) {
			reset, err := resetFieldSet(k.GVK, sub)
			if err != nil {
				return nil, fmt.Errorf("kind %s %q: reset fields: %w", k.GVK, sub, err)
			}
			fm, err := managedfields.NewDefaultFieldManager(converter, s, s, s, k.GVK, k.GVK.GroupVersion(), sub, reset)
			if err != nil {
				return nil, fmt.Errorf("kind %s %q: %w", k.GVK, sub, err)
			}
			create, err := newCreation(converter, s, k.GVK, reset, plans)
			if err != nil {
				return nil, fmt.Errorf("kind %s %q: %w", k.GVK, sub, err)
			}
			m.kinds[kindKey{k.GVK, sub}] = &KindManager{
				logger: logger, gvk: k.GVK, subresource: sub, creater: s, fields: fm, create: create,
			}
		}
	}
	return m, nil
}

// ForKind returns the field manager of gvk's writes through subresource
// ("" for the object itself); nil when they are not tracked.
func (m *Manager) ForKind(gvk schema.GroupVersionKind, subresource string) *KindManager {
	if m == nil {
		return nil
	}
	return m.kinds[kindKey{gvk, subresource}]
}

// Update records that manager wrote obj over old (nil on create): it sets
// obj's metadata.managedFields as upstream does for create, update and
// non-apply patches (an Update entry of manager with the time and the
// fields manager set or changed; fields others no longer hold move to
// it). obj is changed in place and returned. managedFields sent in obj
// replace the stored ones when they are valid, and an empty list resets
// them, as upstream; a subresource write keeps the stored ones.
//
// Tracking never fails a write: when it cannot be done it is logged and
// obj goes on without managedFields, as upstream. The error is for an obj
// that is not an object with metadata.
func (k *KindManager) Update(old, obj runtime.Object, manager string) (runtime.Object, error) {
	if k == nil {
		return obj, nil
	}
	accessor, err := meta.Accessor(obj)
	if err != nil {
		return nil, fmt.Errorf("track fields of %s: %w", k.gvk.Kind, err)
	}
	if old == nil && len(accessor.GetManagedFields()) == 0 {
		entries, err := k.create.entries(obj, manager, k.subresource, metav1.Now())
		if err != nil {
			k.logFailure(accessor, err)
		}
		accessor.SetManagedFields(entries)
		return obj, nil
	}
	live := old
	if live == nil {
		if live, err = k.creater.New(k.gvk); err != nil {
			return nil, fmt.Errorf("track fields of %s: %w", k.gvk.Kind, err)
		}
	}
	out, err := k.fields.Update(live, obj, manager)
	if err != nil {
		k.logFailure(accessor, err)
		accessor.SetManagedFields(nil)
		return obj, nil
	}
	return out, nil
}

func (k *KindManager) logFailure(obj metav1.Object, err error) {
	k.logger.Error("failed to update managedFields", zap.Stringer("kind", k.gvk),
		zap.String("subresource", k.subresource), zap.String("namespace", obj.GetNamespace()),
		zap.String("name", obj.GetName()), zap.Error(err))
}
