package openapi

import (
	"fmt"
	"reflect"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	runtimeschema "k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/skiff-dev/skiff/apiserver/discovery"
)

// Definitions every document's operations use.
var (
	deleteOptionsType = reflect.TypeOf(metav1.DeleteOptions{})
	statusType        = reflect.TypeOf(metav1.Status{})
	watchEventType    = reflect.TypeOf(metav1.WatchEvent{})
	patchType         = reflect.TypeOf(metav1.Patch{})
	podLogOptionsType = reflect.TypeOf(corev1.PodLogOptions{})
)

// resourcePaths builds the paths of one resource and its subresources.
type resourcePaths struct {
	defs     *definitions
	r        discovery.Resource
	prefix   string // "/api/v1", "/apis/apps/v1"
	idPrefix string // "CoreV1", "AppsV1"
	ns       string // "Namespaced" or ""
	kindRef  string // the kind's definition
	listRef  string
	meta     map[string]string // DeleteOptions, Status, WatchEvent, Patch definitions
}

func newResourcePaths(defs *definitions, r discovery.Resource, meta map[string]string) (*resourcePaths, error) {
	if r.GoType == nil {
		return nil, fmt.Errorf("resource %s.%s/%s: no Go type", r.Resource, r.Group, r.Version)
	}
	p := &resourcePaths{defs: defs, r: r, meta: meta, idPrefix: groupCamel(r.Group) + upperFirst(r.Version)}
	p.prefix = "/apis/" + r.Group + "/" + r.Version
	if r.Group == "" {
		p.prefix = "/api/" + r.Version
	}
	if r.Namespaced {
		p.ns = "Namespaced"
	}
	var err error
	if p.kindRef, err = defs.define(deref(r.GoType)); err != nil {
		return nil, err
	}
	if r.ListGoType != nil {
		if p.listRef, err = defs.define(deref(r.ListGoType)); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func deref(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

func (p *resourcePaths) gvk() runtimeschema.GroupVersionKind {
	return runtimeschema.GroupVersionKind{Group: p.r.Group, Version: p.r.Version, Kind: p.r.Kind}
}

func (p *resourcePaths) op(method, verb, suffix, description, action string, params []parameter) operation {
	return operation{
		method: method, id: verb + p.idPrefix + suffix, description: description, action: action,
		gvk: p.gvk(), tag: tag(p.r.Group, p.r.Version), params: params, consumes: consumesAny, produces: producesObject,
	}
}

// build returns every path of the resource, for the verbs it serves.
func (p *resourcePaths) build() ([]pathItem, error) {
	verbs := map[string]bool{}
	for _, v := range p.r.Verbs {
		verbs[v] = true
	}
	kind := p.r.Kind
	collection, item := p.prefix+"/"+p.r.Resource, p.prefix+"/"+p.r.Resource+"/{name}"
	watchCollection, watchItem := p.prefix+"/watch/"+p.r.Resource, p.prefix+"/watch/"+p.r.Resource+"/{name}"
	shared := []parameter{paramPretty}
	itemShared := []parameter{paramName(kind), paramPretty}
	if p.r.Namespaced {
		nsPath := p.prefix + "/namespaces/{namespace}/" + p.r.Resource
		collection, item = nsPath, nsPath+"/{name}"
		watchCollection = p.prefix + "/watch/namespaces/{namespace}/" + p.r.Resource
		watchItem = watchCollection + "/{name}"
		shared = []parameter{paramNamespace, paramPretty}
		itemShared = []parameter{paramName(kind), paramNamespace, paramPretty}
	}
	var items []pathItem

	coll := pathItem{path: collection, params: shared}
	if verbs["list"] && p.listRef != "" {
		o := p.op("get", "list", p.ns+kind, "list or watch objects of kind "+kind, "list", listParams)
		o.produces, o.responses = producesList, []response{respOK(p.listRef)}
		coll.ops = append(coll.ops, o)
	}
	if verbs["create"] {
		o := p.op("post", "create", p.ns+kind, "create "+article(kind)+" "+kind, "post", createParams)
		o.body, o.responses = p.kindRef, []response{respOK(p.kindRef), respCreated(p.kindRef), respAccepted(p.kindRef)}
		coll.ops = append(coll.ops, o)
	}
	if verbs["deletecollection"] {
		o := p.op("delete", "delete", "Collection"+p.ns+kind, "delete collection of "+kind, "deletecollection", deleteCollectionParams)
		o.body, o.responses = p.meta["DeleteOptions"], []response{respOK(p.meta["Status"])}
		coll.ops = append(coll.ops, o)
	}
	if len(coll.ops) > 0 {
		items = append(items, coll)
	}

	one := pathItem{path: item, params: itemShared}
	if verbs["get"] {
		o := p.op("get", "read", p.ns+kind, "read the specified "+kind, "get", nil)
		o.responses = []response{respOK(p.kindRef)}
		one.ops = append(one.ops, o)
	}
	if verbs["update"] {
		o := p.op("put", "replace", p.ns+kind, "replace the specified "+kind, "put", updateParams)
		o.body, o.responses = p.kindRef, []response{respOK(p.kindRef), respCreated(p.kindRef)}
		one.ops = append(one.ops, o)
	}
	if verbs["patch"] {
		o := p.op("patch", "patch", p.ns+kind, "partially update the specified "+kind, "patch", patchParams)
		o.body, o.consumes = p.meta["Patch"], consumesPatch
		o.responses = []response{respOK(p.kindRef), respCreated(p.kindRef)}
		one.ops = append(one.ops, o)
	}
	if verbs["delete"] {
		o := p.op("delete", "delete", p.ns+kind, "delete "+article(kind)+" "+kind, "delete", deleteParams)
		o.body = p.meta["DeleteOptions"]
		o.responses = []response{respOK(p.meta["Status"]), respAccepted(p.meta["Status"])}
		one.ops = append(one.ops, o)
	}
	if len(one.ops) > 0 {
		items = append(items, one)
	}

	if verbs["list"] && p.listRef != "" && p.r.Namespaced {
		o := p.op("get", "list", kind+"ForAllNamespaces", "list or watch objects of kind "+kind, "list", nil)
		o.produces, o.responses = producesList, []response{respOK(p.listRef)}
		items = append(items, pathItem{path: p.prefix + "/" + p.r.Resource, params: append(append([]parameter{}, listParams...), paramPretty), ops: []operation{o}})
	}
	if verbs["watch"] {
		items = append(items, p.watchPaths(watchCollection, watchItem, shared, itemShared)...)
	}
	for _, s := range p.r.Subresources {
		sub, err := p.subresource(s, item, itemShared)
		if err != nil {
			return nil, err
		}
		if len(sub.ops) > 0 {
			items = append(items, sub)
		}
	}
	return items, nil
}

func (p *resourcePaths) watchPaths(collection, item string, shared, itemShared []parameter) []pathItem {
	kind, event := p.r.Kind, p.meta["WatchEvent"]
	withList := func(ps []parameter) []parameter { return append(append([]parameter{}, listParams...), ps...) }
	list := p.op("get", "watch", p.ns+kind+"List",
		"watch individual changes to a list of "+kind+". deprecated: use the 'watch' parameter with a list operation instead.", "watchlist", nil)
	list.produces, list.responses = producesList, []response{respOK(event)}
	one := p.op("get", "watch", p.ns+kind,
		"watch changes to an object of kind "+kind+". deprecated: use the 'watch' parameter with a list operation instead, filtered to a single item with the 'fieldSelector' parameter.", "watch", nil)
	one.produces, one.responses = producesList, []response{respOK(event)}
	items := []pathItem{
		{path: collection, params: withList(shared), ops: []operation{list}},
		{path: item, params: withList(itemShared), ops: []operation{one}},
	}
	if p.r.Namespaced {
		all := p.op("get", "watch", kind+"ListForAllNamespaces",
			"watch individual changes to a list of "+kind+". deprecated: use the 'watch' parameter with a list operation instead.", "watchlist", nil)
		all.produces, all.responses = producesList, []response{respOK(event)}
		items = append(items, pathItem{path: p.prefix + "/watch/" + p.r.Resource, params: withList([]parameter{paramPretty}), ops: []operation{all}})
	}
	return items
}

// article is "a" or "an" before a kind, as upstream's descriptions say.
func article(kind string) string {
	if kind != "" && strings.ContainsRune("AEIOU", rune(kind[0])) {
		return "an"
	}
	return "a"
}
