package client

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
)

// Object is a pointer to an API kind: every k8s.io/api kind and
// unstructured.Unstructured.
type Object[T any] interface {
	*T
	metav1.Object
	runtime.Object
}

// List is a page of a list answer.
type List[T any] struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []T `json:"items"`
}

// Resource is typed access to one resource, optionally in one namespace.
// Its zero namespace means cluster-scoped objects, or all namespaces for
// List, Watch and DeleteCollection of a namespaced resource.
type Resource[T any, PT Object[T]] struct {
	c         *Client
	gvr       schema.GroupVersionResource
	namespace string
}

// For returns typed access to gvr, whose objects are Ts:
// For[corev1.Pod](c, Pods).
func For[T any, PT Object[T]](c *Client, gvr schema.GroupVersionResource) *Resource[T, PT] {
	return &Resource[T, PT]{c: c, gvr: gvr}
}

// Namespace returns access to the objects in ns.
func (r *Resource[T, PT]) Namespace(ns string) *Resource[T, PT] {
	cp := *r
	cp.namespace = ns
	return &cp
}

// GroupVersionResource is the resource r reaches.
func (r *Resource[T, PT]) GroupVersionResource() schema.GroupVersionResource { return r.gvr }

// path is the URL path of the collection, an object, or its subresource.
func (r *Resource[T, PT]) path(name string, subresources ...string) string {
	var b strings.Builder
	if r.gvr.Group == "" {
		b.WriteString("/api/")
	} else {
		b.WriteString("/apis/")
		b.WriteString(r.gvr.Group)
		b.WriteByte('/')
	}
	b.WriteString(r.gvr.Version)
	if r.namespace != "" {
		b.WriteString("/namespaces/")
		b.WriteString(url.PathEscape(r.namespace))
	}
	b.WriteByte('/')
	b.WriteString(r.gvr.Resource)
	if name != "" {
		b.WriteByte('/')
		b.WriteString(url.PathEscape(name))
	}
	for _, s := range subresources {
		b.WriteByte('/')
		b.WriteString(s)
	}
	return b.String()
}

func (r *Resource[T, PT]) request(method, name string, q url.Values, subresources ...string) *request {
	return &request{method: method, path: r.path(name, subresources...), query: q, gr: r.gvr.GroupResource(), name: name}
}

// Get reads one object.
func (r *Resource[T, PT]) Get(ctx context.Context, name string, opts metav1.GetOptions, subresources ...string) (PT, error) {
	if name == "" {
		return nil, fmt.Errorf("get %s: %w", r.gvr.Resource, errNoName)
	}
	return r.decodeOne(r.c.exchange(ctx, r.request(http.MethodGet, name, getQuery(opts), subresources...)))
}

// List reads one page of the collection (all of it unless opts.Limit is set).
func (r *Resource[T, PT]) List(ctx context.Context, opts metav1.ListOptions) (*List[T], error) {
	opts.Watch = false
	body, err := r.c.exchange(ctx, r.request(http.MethodGet, "", listQuery(opts)))
	if err != nil {
		return nil, err
	}
	if _, dynamic := any(PT(new(T))).(*unstructured.Unstructured); dynamic {
		return decodeUnstructuredList[T](r.gvr.Resource, body)
	}
	var l List[T]
	if err := json.Unmarshal(body, &l); err != nil {
		return nil, fmt.Errorf("list %s: decode answer: %w", r.gvr.Resource, err)
	}
	return &l, nil
}

// decodeUnstructuredList decodes a list into Unstructured items, which take
// their apiVersion and kind from the list's (typed lists leave them out).
func decodeUnstructuredList[T any](resource string, body []byte) (*List[T], error) {
	var ul unstructured.UnstructuredList
	if err := ul.UnmarshalJSON(body); err != nil {
		return nil, fmt.Errorf("list %s: decode answer: %w", resource, err)
	}
	l := &List[T]{
		TypeMeta: metav1.TypeMeta{APIVersion: ul.GetAPIVersion(), Kind: ul.GetKind()},
		ListMeta: metav1.ListMeta{ResourceVersion: ul.GetResourceVersion(), Continue: ul.GetContinue(), RemainingItemCount: ul.GetRemainingItemCount()},
		Items:    make([]T, len(ul.Items)),
	}
	for i := range ul.Items {
		l.Items[i] = any(ul.Items[i]).(T)
	}
	return l, nil
}

// Create creates obj in r's namespace.
func (r *Resource[T, PT]) Create(ctx context.Context, obj PT, opts metav1.CreateOptions, subresources ...string) (PT, error) {
	name := ""
	if len(subresources) > 0 {
		name = obj.GetName()
	}
	req := r.request(http.MethodPost, name, writeQuery(opts.DryRun, opts.FieldManager, opts.FieldValidation), subresources...)
	return r.send(ctx, req, obj)
}

// Update replaces obj (guarded by its resourceVersion when set).
func (r *Resource[T, PT]) Update(ctx context.Context, obj PT, opts metav1.UpdateOptions) (PT, error) {
	return r.put(ctx, obj, opts)
}

// UpdateStatus replaces obj's status through the status subresource.
func (r *Resource[T, PT]) UpdateStatus(ctx context.Context, obj PT, opts metav1.UpdateOptions) (PT, error) {
	return r.put(ctx, obj, opts, "status")
}

func (r *Resource[T, PT]) put(ctx context.Context, obj PT, opts metav1.UpdateOptions, subresources ...string) (PT, error) {
	if obj.GetName() == "" {
		return nil, fmt.Errorf("update %s: %w", r.gvr.Resource, errNoName)
	}
	req := r.request(http.MethodPut, obj.GetName(), writeQuery(opts.DryRun, opts.FieldManager, opts.FieldValidation), subresources...)
	return r.send(ctx, req, obj)
}

// Patch applies a JSON patch, merge patch, strategic merge patch or apply
// patch (pt says which) to the named object.
func (r *Resource[T, PT]) Patch(ctx context.Context, name string, pt types.PatchType, data []byte, opts metav1.PatchOptions, subresources ...string) (PT, error) {
	if name == "" {
		return nil, fmt.Errorf("patch %s: %w", r.gvr.Resource, errNoName)
	}
	req := r.request(http.MethodPatch, name, patchQuery(opts), subresources...)
	req.body, req.contentType = data, string(pt)
	return r.decodeOne(r.c.exchange(ctx, req))
}

// Delete deletes the named object with opts' grace period, preconditions
// and propagation policy.
func (r *Resource[T, PT]) Delete(ctx context.Context, name string, opts metav1.DeleteOptions) error {
	if name == "" {
		return fmt.Errorf("delete %s: %w", r.gvr.Resource, errNoName)
	}
	return r.delete(ctx, r.request(http.MethodDelete, name, nil), opts)
}

// DeleteCollection deletes every object listOpts selects.
func (r *Resource[T, PT]) DeleteCollection(ctx context.Context, opts metav1.DeleteOptions, listOpts metav1.ListOptions) error {
	return r.delete(ctx, r.request(http.MethodDelete, "", listQuery(listOpts)), opts)
}

func (r *Resource[T, PT]) delete(ctx context.Context, req *request, opts metav1.DeleteOptions) error {
	body, err := json.Marshal(opts)
	if err != nil {
		return fmt.Errorf("delete %s: encode options: %w", r.gvr.Resource, err)
	}
	req.body, req.contentType = body, "application/json"
	_, err = r.c.exchange(ctx, req)
	return err
}

// Do sends in (nil for none) to the named object's subresource and decodes
// the answer into out (nil to discard): pods/binding, pods/eviction,
// deployments/scale and the like, whose bodies are other kinds.
func (r *Resource[T, PT]) Do(ctx context.Context, method, name, subresource string, in, out any) error {
	req := r.request(method, name, nil, subresource)
	if in != nil {
		body, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("%s %s/%s: encode: %w", method, r.gvr.Resource, subresource, err)
		}
		req.body, req.contentType = body, "application/json"
	}
	body, err := r.c.exchange(ctx, req)
	if err != nil || out == nil {
		return err
	}
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("%s %s/%s: decode answer: %w", method, r.gvr.Resource, subresource, err)
	}
	return nil
}

func (r *Resource[T, PT]) send(ctx context.Context, req *request, obj PT) (PT, error) {
	body, err := json.Marshal(obj)
	if err != nil {
		return nil, fmt.Errorf("%s %s: encode: %w", verbOf(req.method), r.gvr.Resource, err)
	}
	req.body, req.contentType = body, "application/json"
	return r.decodeOne(r.c.exchange(ctx, req))
}

func (r *Resource[T, PT]) decodeOne(body []byte, err error) (PT, error) {
	if err != nil {
		return nil, err
	}
	out := PT(new(T))
	if err := json.Unmarshal(body, out); err != nil {
		return nil, fmt.Errorf("%s: decode answer: %w", r.gvr.Resource, err)
	}
	return out, nil
}
