package fieldmanager

import (
	"bytes"
	"fmt"
	"reflect"
	"sync"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/managedfields"
	"sigs.k8s.io/structured-merge-diff/v4/fieldpath"
	"sigs.k8s.io/structured-merge-diff/v4/typed"
	"sigs.k8s.io/structured-merge-diff/v4/value"
)

// strippedFields are the fields no manager owns (upstream's field manager
// strips them from every set): the type and the metadata the server sets.
var strippedFields = fieldpath.NewSet(
	fieldpath.MakePathOrDie("apiVersion"),
	fieldpath.MakePathOrDie("kind"),
	fieldpath.MakePathOrDie("metadata"),
	fieldpath.MakePathOrDie("metadata", "name"),
	fieldpath.MakePathOrDie("metadata", "namespace"),
	fieldpath.MakePathOrDie("metadata", "creationTimestamp"),
	fieldpath.MakePathOrDie("metadata", "selfLink"),
	fieldpath.MakePathOrDie("metadata", "uid"),
	fieldpath.MakePathOrDie("metadata", "clusterName"),
	fieldpath.MakePathOrDie("metadata", "generation"),
	fieldpath.MakePathOrDie("metadata", "managedFields"),
	fieldpath.MakePathOrDie("metadata", "resourceVersion"),
)

// creation computes the managedFields of a create: one Update entry of
// the creator owning every field the object sets (compared with an empty
// object of its kind) but those the endpoint resets. It is what the
// general update path computes against an empty live object (a test holds
// the two equal) without its conversions, copies and bookkeeping of other
// managers, which a create does not have: on the hottest write there is.
//
// Most objects need not even that: the walk of plan.go and walk.go reads
// the fields straight from the Go object, and leaves only the shapes it
// does not know to the comparison.
type creation struct {
	apiVersion string
	empty      *typed.TypedValue // an empty object of the kind, read only
	reset      *fieldpath.Set    // nil when the endpoint resets nothing

	goType   reflect.Type // the kind's Go type, which the plan reads
	planner  *planner
	planOnce sync.Once
	plan     *plan // goType's, made at the kind's first create
}

// walks are fieldsWalk buffers, reused by every kind's creates.
var walks = sync.Pool{New: func() any { return new(fieldsWalk) }}

func newCreation(converter managedfields.TypeConverter, creater runtime.ObjectCreater, gvk schema.GroupVersionKind, reset map[fieldpath.APIVersion]*fieldpath.Set, p *planner) (*creation, error) {
	c := &creation{apiVersion: gvk.GroupVersion().String(), planner: p}
	if reset != nil {
		c.reset = reset[fieldpath.APIVersion(c.apiVersion)]
	}
	empty, err := creater.New(gvk)
	if err != nil {
		return nil, err
	}
	empty.GetObjectKind().SetGroupVersionKind(gvk)
	c.goType = reflect.TypeOf(empty)
	if c.empty, err = converter.ObjectToTyped(empty, typed.AllowDuplicates); err != nil {
		return nil, fmt.Errorf("convert an empty %s to a typed value: %w", gvk.Kind, err)
	}
	return c, nil
}

// entries returns obj's managedFields after manager created it through
// subresource at now; none when the creator sets no field it may own.
func (c *creation) entries(obj runtime.Object, manager, subresource string, now metav1.Time) ([]metav1.ManagedFieldsEntry, error) {
	raw, err := c.fields(obj)
	if err != nil || len(raw) == 0 {
		return nil, err
	}
	return []metav1.ManagedFieldsEntry{{
		Manager:     manager,
		Operation:   metav1.ManagedFieldsOperationUpdate,
		APIVersion:  c.apiVersion,
		Time:        &now,
		FieldsType:  "FieldsV1",
		FieldsV1:    &metav1.FieldsV1{Raw: raw},
		Subresource: subresource,
	}}, nil
}

// fields returns the FieldsV1 JSON of the fields obj sets; none when it
// sets no field it may own.
func (c *creation) fields(obj runtime.Object) ([]byte, error) {
	w := walks.Get().(*fieldsWalk)
	defer walks.Put(w)
	if c.walk(w, obj) {
		return bytes.Clone(w.buf), nil
	}
	return c.compared(obj)
}

// walk writes obj's FieldsV1 JSON into w.buf by the kind's plan, or
// reports that obj is left to the comparison: of a shape the walk does not
// know, or of another Go type than the kind's.
func (c *creation) walk(w *fieldsWalk, obj runtime.Object) bool {
	if reflect.TypeOf(obj) != c.goType {
		return false
	}
	c.planOnce.Do(func() {
		c.plan = c.planner.planOf(c.empty.Schema(), c.goType, c.empty.TypeRef())
	})
	return w.walkRoot(reflect.ValueOf(obj), c.plan, c.reset, strippedFields) == nil
}

// compared is fields by structured-merge-diff's comparison.
func (c *creation) compared(obj runtime.Object) ([]byte, error) {
	// A Go object of the kind conforms to the schema made from its type:
	// validating it would only walk it once more.
	v, err := value.NewValueReflect(obj)
	if err != nil {
		return nil, fmt.Errorf("convert to a typed value: %w", err)
	}
	tv := typed.AsTypedUnvalidated(v, c.empty.Schema(), c.empty.TypeRef())
	diff, err := c.empty.Compare(tv)
	if err != nil {
		return nil, fmt.Errorf("compare with an empty object: %w", err)
	}
	set := diff.Added.Union(diff.Modified)
	if c.reset != nil {
		set = set.RecursiveDifference(c.reset)
	}
	set = set.Difference(strippedFields)
	if set.Empty() {
		return nil, nil
	}
	raw, err := set.ToJSON()
	if err != nil {
		return nil, fmt.Errorf("encode the field set: %w", err)
	}
	return raw, nil
}
