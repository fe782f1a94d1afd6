package admission

import (
	"errors"
	"reflect"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/skiff-dev/skiff/apiserver/authentication"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

// Operation is the kind of write being admitted.
type Operation string

// The operations, spelled as upstream's admission.Operation.
const (
	Create  Operation = "CREATE"
	Update  Operation = "UPDATE"
	Delete  Operation = "DELETE"
	Connect Operation = "CONNECT"
)

// Attributes describe one request to admit.
type Attributes struct {
	Operation   Operation
	Kind        schema.GroupVersionKind
	Resource    schema.GroupVersionResource
	Subresource string
	// Namespace is empty for cluster-scoped resources. Name is the object's
	// name: from the URL, or on create from the body (empty when the
	// server generates it).
	Namespace, Name string
	// Object is the new object (mutating plugins change it in place); nil
	// for DELETE. OldObject is the stored object; nil for CREATE.
	Object, OldObject runtime.Object
	User              *authentication.User
	DryRun            bool
	// Options are the request's CreateOptions, UpdateOptions or
	// DeleteOptions.
	Options runtime.Object
}

// GroupResource is a's resource without its version.
func (a *Attributes) GroupResource() schema.GroupResource { return a.Resource.GroupResource() }

// WithObjects returns a copy of a about obj replacing old, as upstream
// builds the attributes of each admission call of a write:
//   - an UPDATE with no old object creates it (PUT or apply of a missing
//     object on a kind that allows it): the copy is a CREATE, its
//     UpdateOptions or PatchOptions turned into CreateOptions;
//   - on create, a name the server generated after mutating admission
//     becomes the name.
func (a Attributes) WithObjects(obj, old runtime.Object) *Attributes {
	out := a
	out.Object, out.OldObject = obj, old
	if isNil(old) {
		out.OldObject = nil
	}
	if out.Operation == Update && out.OldObject == nil {
		out.Operation = Create
		out.Options = createOptions(a.Options)
	}
	if out.Name == "" && out.Operation == Create {
		if m, ok := Accessor(obj); ok {
			out.Name = m.GetName()
		}
	}
	return &out
}

// createOptions are the CreateOptions of an update or patch that creates.
func createOptions(opts runtime.Object) runtime.Object {
	c := &metav1.CreateOptions{TypeMeta: metav1.TypeMeta{Kind: "CreateOptions", APIVersion: "meta.k8s.io/v1"}}
	switch o := opts.(type) {
	case *metav1.UpdateOptions:
		if o == nil {
			return opts
		}
		c.DryRun, c.FieldManager, c.FieldValidation = o.DryRun, o.FieldManager, o.FieldValidation
	case *metav1.PatchOptions:
		if o == nil {
			return opts
		}
		c.DryRun, c.FieldManager, c.FieldValidation = o.DryRun, o.FieldManager, o.FieldValidation
	default:
		return opts
	}
	return c
}

// ObjectName is the name admission errors give, as upstream: the request's
// name, else the object's name or generateName, else "Unknown".
func (a *Attributes) ObjectName() string {
	if a.Name != "" {
		return a.Name
	}
	if isNil(a.Object) {
		return "Unknown"
	}
	m, ok := Accessor(a.Object)
	if !ok {
		// Objects without metadata get a name no object can have.
		return "Unknown/errorGettingName"
	}
	switch {
	case m.GetName() != "":
		return m.GetName()
	case m.GetGenerateName() != "":
		return m.GetGenerateName()
	}
	return "Unknown"
}

// NewForbidden is a denial of a with reason err, worded as upstream:
// `pods "x" is forbidden: <err>`. A Forbidden err is returned as it is.
func NewForbidden(a *Attributes, err error) error {
	if apierrors.IsForbidden(err) {
		return err
	}
	return apierrors.NewForbidden(a.GroupResource(), a.ObjectName(), err)
}

// Accessor returns obj's metadata; false when obj is nil (a nil pointer
// included) or has none.
func Accessor(obj runtime.Object) (metav1.Object, bool) {
	if isNil(obj) {
		return nil, false
	}
	m, err := meta.Accessor(obj)
	return m, err == nil
}

func isNil(obj runtime.Object) bool {
	if obj == nil {
		return true
	}
	v := reflect.ValueOf(obj)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

// IsNotFound says whether a getter's error means the object does not
// exist: an API NotFound or storage.ErrNotFound.
func IsNotFound(err error) bool {
	return apierrors.IsNotFound(err) || errors.Is(err, storage.ErrNotFound)
}
