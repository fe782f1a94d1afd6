package subresource

import (
	"errors"
	"net/http"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	metav1validation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/skiff-dev/skiff/apiserver/scheme"
)

// optionsCodec reads the query parameters of the meta/v1 *Options kinds.
type optionsCodec struct{ codec runtime.ParameterCodec }

func newOptionsCodec(codecs *scheme.Codecs) optionsCodec {
	return optionsCodec{codec: runtime.NewParameterCodec(codecs.Scheme())}
}

func (c optionsCodec) decode(r *http.Request, into runtime.Object) error {
	if err := c.codec.DecodeParameters(r.URL.Query(), schema.GroupVersion{Version: "v1"}, into); err != nil {
		return apierrors.NewBadRequest(err.Error())
	}
	return nil
}

// create reads and validates CreateOptions, as upstream's create handler.
func (c optionsCodec) create(r *http.Request) (*metav1.CreateOptions, error) {
	opts := &metav1.CreateOptions{}
	if err := c.decode(r, opts); err != nil {
		return nil, err
	}
	if errs := metav1validation.ValidateCreateOptions(opts); len(errs) > 0 {
		return nil, apierrors.NewInvalid(schema.GroupKind{Group: metav1.GroupName, Kind: "CreateOptions"}, "", errs)
	}
	return opts, nil
}

// update reads and validates UpdateOptions.
func (c optionsCodec) update(r *http.Request) (*metav1.UpdateOptions, error) {
	opts := &metav1.UpdateOptions{}
	if err := c.decode(r, opts); err != nil {
		return nil, err
	}
	if errs := metav1validation.ValidateUpdateOptions(opts); len(errs) > 0 {
		return nil, apierrors.NewInvalid(schema.GroupKind{Group: metav1.GroupName, Kind: "UpdateOptions"}, "", errs)
	}
	return opts, nil
}

// unsupportedVerb is the answer to a verb a subresource does not serve.
func unsupportedVerb(gr schema.GroupResource, verb string) error {
	return apierrors.NewMethodNotSupported(gr, verb)
}

// unknownError is how upstream answers an error that is not an API
// status: 500, no reason, the error's text as the message.
func unknownError(err error) error {
	var status apierrors.APIStatus
	if errors.As(err, &status) {
		return err
	}
	return &apierrors.StatusError{ErrStatus: metav1.Status{
		Status: metav1.StatusFailure, Code: http.StatusInternalServerError, Message: err.Error(),
	}}
}

// wipeSystemMeta clears what a client may not set on a created object, as
// upstream's create handler does before the object reaches the registry.
func wipeSystemMeta(obj metav1.Object) {
	obj.SetCreationTimestamp(metav1.Time{})
	obj.SetUID("")
	obj.SetDeletionTimestamp(nil)
	obj.SetDeletionGracePeriodSeconds(nil)
	obj.SetSelfLink("")
}

// prepare readies a created object as upstream's create handler does
// before admission: system metadata wiped, the namespace the request's.
func prepare(obj metav1.Object, namespace string) error {
	wipeSystemMeta(obj)
	return matchNamespace(obj, namespace)
}

// matchNamespace makes obj's namespace the request's, refusing a body
// naming another (upstream's EnsureObjectNamespaceMatchesRequestNamespace).
func matchNamespace(obj metav1.Object, namespace string) error {
	switch ns := obj.GetNamespace(); {
	case ns == namespace:
	case ns == "":
		obj.SetNamespace(namespace)
	case namespace == "":
		obj.SetNamespace("")
	default:
		return apierrors.NewBadRequest("the namespace of the provided object does not match the namespace sent on the request")
	}
	return nil
}

// warn adds a Warning header worded as upstream's.
func warn(w http.ResponseWriter, msg string) {
	w.Header().Add("Warning", `299 - "`+strings.ReplaceAll(msg, `"`, `\"`)+`"`)
}
