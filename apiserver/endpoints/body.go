package endpoints

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	kjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"

	"github.com/skiff-dev/skiff/apiserver/storage"
)

// readBody reads the request body up to the limit (413 past it). A body of
// a declared length is read into a buffer of that length at once: the
// server holds the client to it. One read instead of io.ReadAll's growing
// buffer is one message less to HTTP/2's connection loop, which counts
// every read for flow control. A longer body is read, as upstream reads
// it, up to the limit before the 413.
func (q *request) readBody() ([]byte, error) {
	if n := q.r.ContentLength; n >= 0 && n <= q.h.maxBodyBytes {
		body := make([]byte, n)
		if _, err := io.ReadFull(q.r.Body, body); err != nil {
			return nil, unreadableBody(err)
		}
		return body, nil
	}
	body, err := io.ReadAll(io.LimitReader(q.r.Body, q.h.maxBodyBytes+1))
	if err != nil {
		return nil, unreadableBody(err)
	}
	if int64(len(body)) > q.h.maxBodyBytes {
		return nil, q.bodyTooLarge()
	}
	return body, nil
}

func (q *request) bodyTooLarge() error {
	return apierrors.NewRequestEntityTooLargeError(fmt.Sprintf("limit is %d", q.h.maxBodyBytes))
}

func unreadableBody(err error) error {
	return apierrors.NewBadRequest(fmt.Sprintf("unable to read the request body: %v", err))
}

// fieldValidation is the request's fieldValidation: Strict, Warn (the
// default) or Ignore.
func (q *request) fieldValidation() (string, error) {
	switch v := q.r.URL.Query().Get("fieldValidation"); v {
	case "":
		return metav1.FieldValidationWarn, nil
	case metav1.FieldValidationStrict, metav1.FieldValidationWarn, metav1.FieldValidationIgnore:
		return v, nil
	default:
		return "", apierrors.NewBadRequest(fmt.Sprintf("fieldValidation parameter unsupported: %v", v))
	}
}

// decodeObject decodes a body of the resource's kind into a new object:
// JSON, YAML or protobuf by Content-Type, checking its apiVersion and kind
// and reporting unknown or duplicate fields as fieldValidation asks.
func (q *request) decodeObject(body []byte) (storage.Object, error) {
	res := q.store.Resource()
	obj := res.New()
	if err := q.decodeInto(body, res.GroupVersionKind(), obj); err != nil {
		return nil, err
	}
	return obj, nil
}

// decodeInto decodes a body of kind gvk into obj.
func (q *request) decodeInto(body []byte, gvk schema.GroupVersionKind, obj runtime.Object) error {
	media, err := contentType(q.r)
	if err != nil {
		return err
	}
	validation, err := q.fieldValidation()
	if err != nil {
		return err
	}
	if media == mediaJSON {
		return q.decodeJSON(body, gvk, obj, validation)
	}
	var dec runtime.Decoder
	switch {
	case media == mediaProtobuf:
		dec = q.h.codecs.Protobuf
	case media == mediaYAML && validation != metav1.FieldValidationIgnore:
		dec = q.h.codecs.StrictYAML
	case media == mediaYAML:
		dec = q.h.codecs.YAML
	}
	if media != mediaProtobuf {
		if err := checkTypeMeta(body, media, gvk); err != nil {
			return err
		}
	}
	_, _, err = dec.Decode(body, &gvk, obj)
	return q.decoded(gvk, obj, validation, err)
}

// decodeJSON decodes a JSON body straight into obj, as the JSON serializer
// would (case-sensitive, integers kept, unknown and duplicate fields
// reported unless ignored), without reading the body a second and a third
// time for its apiVersion and kind: obj's own TypeMeta holds them after.
func (q *request) decodeJSON(body []byte, gvk schema.GroupVersionKind, obj runtime.Object, validation string) error {
	var err error
	if validation == metav1.FieldValidationIgnore {
		err = kjson.UnmarshalCaseSensitivePreserveInts(body, obj)
	} else {
		var strict []error
		if strict, err = kjson.UnmarshalStrict(body, obj); err == nil && len(strict) > 0 {
			err = runtime.NewStrictDecodingError(strict)
		}
	}
	if _, ok := runtime.AsStrictDecodingError(err); err != nil && !ok {
		// A body of another kind fails for that first.
		if kindErr := checkTypeMeta(body, mediaJSON, gvk); kindErr != nil {
			return kindErr
		}
	}
	if kindErr := checkKind(obj.GetObjectKind().GroupVersionKind(), gvk); kindErr != nil {
		return kindErr
	}
	return q.decoded(gvk, obj, validation, err)
}

// decoded finishes a decode that returned err: strict errors become
// warnings or, under Strict, a 400; others a 400.
func (q *request) decoded(gvk schema.GroupVersionKind, obj runtime.Object, validation string, err error) error {
	if strict, ok := runtime.AsStrictDecodingError(err); ok {
		if validation == metav1.FieldValidationStrict {
			return apierrors.NewBadRequest(fmt.Sprintf("%s in version %q cannot be handled as a %s: %v", gvk.Kind, gvk.Version, gvk.Kind, err))
		}
		for _, e := range strict.Errors() {
			q.warn(e.Error())
		}
		err = nil
	}
	if err != nil {
		return apierrors.NewBadRequest(fmt.Sprintf("%s in version %q cannot be handled as a %s: %v", gvk.Kind, gvk.Version, gvk.Kind, err))
	}
	obj.GetObjectKind().SetGroupVersionKind(gvk)
	return nil
}

// checkTypeMeta refuses a body that names another kind or version.
func checkTypeMeta(body []byte, media string, want schema.GroupVersionKind) error {
	var tm metav1.TypeMeta
	var err error
	if media == mediaYAML {
		err = yaml.Unmarshal(body, &tm)
	} else {
		err = json.Unmarshal(body, &tm)
	}
	if err != nil {
		return apierrors.NewBadRequest(fmt.Sprintf("%s in version %q cannot be handled as a %s: %v", want.Kind, want.Version, want.Kind, err))
	}
	return checkKind(schema.FromAPIVersionAndKind(tm.APIVersion, tm.Kind), want)
}

// checkKind refuses the apiVersion and kind a body gave (either may be
// empty) when they are not want's.
func checkKind(got, want schema.GroupVersionKind) error {
	if gv := got.GroupVersion(); !gv.Empty() && gv != want.GroupVersion() {
		return apierrors.NewBadRequest(fmt.Sprintf("the API version in the data (%s) does not match the expected API version (%s)", gv, want.GroupVersion()))
	}
	if got.Kind != "" && got.Kind != want.Kind {
		return apierrors.NewBadRequest(fmt.Sprintf("the kind in the data (%s) does not match the expected kind (%s)", got.Kind, want.Kind))
	}
	return nil
}

func contentType(r *http.Request) (string, error) {
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return mediaJSON, nil
	}
	media, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return "", unsupportedMediaType("application/json, application/yaml, application/vnd.kubernetes.protobuf")
	}
	switch media {
	case mediaJSON, mediaYAML, mediaProtobuf:
		return media, nil
	case "application/x-yaml", "text/yaml":
		return mediaYAML, nil
	}
	return "", unsupportedMediaType("application/json, application/yaml, application/vnd.kubernetes.protobuf")
}

// warn adds a Warning header, as upstream words them.
func (q *request) warn(msg string) {
	q.w.Header().Add("Warning", `299 - "`+strings.ReplaceAll(msg, `"`, `\"`)+`"`)
}

// unsupportedMediaType is upstream's 415.
func unsupportedMediaType(media string) error {
	return &apierrors.StatusError{ErrStatus: metav1.Status{
		Status: metav1.StatusFailure, Code: http.StatusUnsupportedMediaType, Reason: metav1.StatusReasonUnsupportedMediaType,
		Message: fmt.Sprintf("the body of the request was in an unknown format - accepted media types include: %s", media),
	}}
}
