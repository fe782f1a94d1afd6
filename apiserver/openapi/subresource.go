package openapi

import (
	"strings"

	runtimeschema "k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/skiff-dev/skiff/apiserver/discovery"
)

// connectMethods maps a connect subresource's verbs to HTTP methods.
var connectMethods = []struct{ verb, method string }{
	{"get", "get"}, {"create", "post"}, {"update", "put"}, {"patch", "patch"}, {"delete", "delete"},
}

// subresource builds the path of one subresource under the resource's
// item path: status and scale (get, put, patch), binding, eviction and
// token (post), log (get, answering text), and the connect
// subresources (exec, attach, portforward, proxy), whose query
// parameters are their options type's fields.
func (p *resourcePaths) subresource(s discovery.Subresource, item string, itemShared []parameter) (pathItem, error) {
	gvk := s.GroupVersionKind(p.r)
	out := pathItem{path: item + "/" + s.Name, params: itemShared}
	verbs := map[string]bool{}
	for _, v := range s.Verbs {
		verbs[v] = true
	}
	suffix := p.ns + p.r.Kind + upperFirst(s.Name)
	base := func(method, verb, description, action string, params []parameter) operation {
		o := p.op(method, verb, suffix, description, action, params)
		o.gvk = gvk
		return o
	}

	if s.Name == "log" {
		if verbs["get"] {
			o := base("get", "read", "read log of the specified "+p.r.Kind, "get", queryParams(podLogOptionsType))
			o.produces, o.responses = producesLog, []response{respOK("")}
			out.ops = append(out.ops, o)
		}
		return out, nil
	}
	if s.GoType != nil && strings.HasSuffix(deref(s.GoType).Name(), "Options") {
		params := queryParams(deref(s.GoType))
		for _, m := range connectMethods {
			if !verbs[m.verb] {
				continue
			}
			o := base(m.method, "connect"+upperFirst(m.method), "connect "+strings.ToUpper(m.method)+" requests to "+s.Name+" of "+p.r.Kind, "connect", params)
			o.id = "connect" + p.idPrefix + upperFirst(m.method) + suffix
			o.produces, o.responses = producesAny, []response{respOK("")}
			out.ops = append(out.ops, o)
		}
		return out, nil
	}

	ref := p.kindRef
	if s.GoType != nil {
		var err error
		if ref, err = p.defs.define(deref(s.GoType)); err != nil {
			return out, err
		}
		p.defs.addGVK(deref(s.GoType), gvk)
	} else if gvk != (runtimeschema.GroupVersionKind{Group: p.r.Group, Version: p.r.Version, Kind: p.r.Kind}) {
		return out, nil // a kind we have no type for: no schema to offer
	}
	if verbs["get"] {
		o := base("get", "read", "read "+s.Name+" of the specified "+p.r.Kind, "get", nil)
		o.responses = []response{respOK(ref)}
		out.ops = append(out.ops, o)
	}
	if verbs["update"] {
		o := base("put", "replace", "replace "+s.Name+" of the specified "+p.r.Kind, "put", updateParams)
		o.body, o.responses = ref, []response{respOK(ref), respCreated(ref)}
		out.ops = append(out.ops, o)
	}
	if verbs["patch"] {
		o := base("patch", "patch", "partially update "+s.Name+" of the specified "+p.r.Kind, "patch", patchParams)
		o.body, o.consumes = p.meta["Patch"], consumesPatch
		o.responses = []response{respOK(ref), respCreated(ref)}
		out.ops = append(out.ops, o)
	}
	if verbs["create"] {
		o := base("post", "create", "create "+s.Name+" of "+article(p.r.Kind)+" "+p.r.Kind, "post", createParams)
		o.body, o.responses = ref, []response{respOK(ref), respCreated(ref), respAccepted(ref)}
		out.ops = append(out.ops, o)
	}
	return out, nil
}
