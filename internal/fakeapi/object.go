package fakeapi

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	utiljson "k8s.io/apimachinery/pkg/util/json"
)

// object is one stored state of one object. It is never changed once built,
// so the store, watchers and handlers share it without copying.
type object struct {
	namespace, name string
	rv              int64
	data            map[string]any // canonical: numbers are int64 or float64
	raw             []byte
}

// newObject builds an object from data, which it takes over.
func newObject(data map[string]any) (*object, error) {
	raw, err := json.Marshal(data)
	if err != nil {
		return nil, err
	}
	canon, err := decodeMap(raw)
	if err != nil {
		return nil, err
	}
	u := unstructured.Unstructured{Object: canon}
	rv, _ := strconv.ParseInt(u.GetResourceVersion(), 10, 64)
	return &object{namespace: u.GetNamespace(), name: u.GetName(), rv: rv, data: canon, raw: raw}, nil
}

// key orders objects as etcd orders their keys: by namespace, then name.
func (o *object) key() string { return objectKey(o.namespace, o.name) }

func objectKey(namespace, name string) string { return namespace + "/" + name }

// copyData returns a deep copy of the object's fields for changing.
func (o *object) copyData() map[string]any { return runtime.DeepCopyJSON(o.data) }

// withRV returns the object as it would read at revision rv: the state a
// DELETED event carries.
func (o *object) withRV(rv int64) *object {
	d := o.copyData()
	setRV(d, rv)
	out, err := newObject(d)
	if err != nil {
		panic(fmt.Sprintf("fakeapi: re-encode stored object: %v", err)) // it was encoded before
	}
	return out
}

// unstructured returns a copy for callers outside the package.
func (o *object) unstructured() *unstructured.Unstructured {
	return &unstructured.Unstructured{Object: o.copyData()}
}

// listItem is the object as a list item: upstream's typed lists leave
// apiVersion and kind out of their items; custom kinds keep them.
func (o *object) listItem(res *resource) json.RawMessage {
	if res.goType == nil {
		return o.raw
	}
	d := make(map[string]any, len(o.data))
	for k, v := range o.data {
		if k != "apiVersion" && k != "kind" {
			d[k] = v
		}
	}
	raw, err := json.Marshal(d)
	if err != nil {
		panic(fmt.Sprintf("fakeapi: re-encode stored object: %v", err))
	}
	return raw
}

func setRV(data map[string]any, rv int64) {
	u := unstructured.Unstructured{Object: data}
	u.SetResourceVersion(strconv.FormatInt(rv, 10))
}

func decodeMap(raw []byte) (map[string]any, error) {
	var m map[string]any
	if err := utiljson.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	return m, nil
}

// decodeBody parses a request body as a JSON object.
func decodeBody(body []byte) (map[string]any, error) {
	var v any
	if err := utiljson.Unmarshal(body, &v); err != nil {
		return nil, apierrors.NewBadRequest(fmt.Sprintf("couldn't get version/kind; json parse error: %v", err))
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, apierrors.NewBadRequest(fmt.Sprintf("couldn't get version/kind; json parse error: expected a JSON object, got %T", v))
	}
	return m, nil
}

// normalize sets apiVersion and kind (400 when the body names another) and
// decodes the object through its Go type and back, as upstream's typed
// storage does: unknown fields drop away, a field of the wrong type is a 400.
// Kinds without a Go type get their metadata normalized the same way.
func (r *resource) normalize(data map[string]any) (map[string]any, error) {
	if err := r.setTypeMeta(data); err != nil {
		return nil, err
	}
	raw, err := json.Marshal(data)
	if err != nil {
		return nil, apierrors.NewBadRequest(err.Error())
	}
	if r.goType == nil {
		meta, err := objectMeta(data)
		if err != nil {
			return nil, r.cannotHandle(err)
		}
		metaMap, err := toMap(meta)
		if err != nil {
			return nil, err
		}
		data["metadata"] = metaMap
		return data, nil
	}
	typed := reflect.New(r.goType).Interface()
	if err := utiljson.Unmarshal(raw, typed); err != nil {
		return nil, r.cannotHandle(err)
	}
	if s, ok := typed.(*corev1.Secret); ok {
		mergeStringData(s)
	}
	return toMap(typed)
}

func (r *resource) cannotHandle(err error) error {
	return apierrors.NewBadRequest(fmt.Sprintf("%s in version %q cannot be handled as a %s: %v", r.kind, r.gvr.Version, r.kind, err))
}

// setTypeMeta fills apiVersion and kind, which a client may leave out.
func (r *resource) setTypeMeta(data map[string]any) error {
	if v, ok := data["apiVersion"].(string); ok && v != "" && v != r.apiVersion() {
		return apierrors.NewBadRequest(fmt.Sprintf("the API version in the data (%s) does not match the expected API version (%s)", v, r.apiVersion()))
	}
	if k, ok := data["kind"].(string); ok && k != "" && k != r.kind {
		return apierrors.NewBadRequest(fmt.Sprintf("the kind in the data (%s) does not match the expected kind (%s)", k, r.kind))
	}
	data["apiVersion"] = r.apiVersion()
	data["kind"] = r.kind
	return nil
}

// mergeStringData folds the write-only stringData into data, as upstream's
// conversion does.
func mergeStringData(s *corev1.Secret) {
	if len(s.StringData) == 0 {
		return
	}
	if s.Data == nil {
		s.Data = map[string][]byte{}
	}
	for k, v := range s.StringData {
		s.Data[k] = []byte(v)
	}
	s.StringData = nil
}

func toMap(v any) (map[string]any, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, apierrors.NewInternalError(err)
	}
	return decodeMap(raw)
}

// objectMeta decodes the metadata of data.
func objectMeta(data map[string]any) (*metav1.ObjectMeta, error) {
	var meta metav1.ObjectMeta
	m, ok := data["metadata"]
	if !ok || m == nil {
		return &meta, nil
	}
	raw, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	if err := utiljson.Unmarshal(raw, &meta); err != nil {
		return nil, err
	}
	return &meta, nil
}

// newUID returns a random RFC 4122 version 4 UUID, as upstream assigns.
func newUID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// nameSuffix is the random part generateName gets: 5 characters from
// upstream's alphabet without vowels and look-alike digits.
func nameSuffix() string {
	const alphabet = "bcdfghjklmnpqrstvwxz2456789"
	var b [5]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	out := make([]byte, len(b))
	for i, c := range b {
		out[i] = alphabet[int(c)%len(alphabet)]
	}
	return string(out)
}
