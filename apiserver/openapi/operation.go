package openapi

import (
	runtimeschema "k8s.io/apimachinery/pkg/runtime/schema"
)

// operation is one HTTP method on one path.
type operation struct {
	method      string // "get", "put", "post", "patch", "delete"
	id          string
	description string
	action      string // x-kubernetes-action
	gvk         runtimeschema.GroupVersionKind
	tag         string
	params      []parameter
	body        string // request body's definition; "" for none
	consumes    []string
	produces    []string
	responses   []response
}

// response is one status code's answer: a definition, or a plain string
// (logs, connect).
type response struct {
	code, description string
	ref               string
}

// pathItem is one path with its operations and shared parameters.
type pathItem struct {
	path   string
	params []parameter
	ops    []operation
}

// Media types, as upstream lists them.
var (
	producesObject = []string{"application/json", "application/yaml", "application/vnd.kubernetes.protobuf"}
	producesList   = []string{"application/json", "application/yaml", "application/vnd.kubernetes.protobuf",
		"application/json;stream=watch", "application/vnd.kubernetes.protobuf;stream=watch"}
	producesAny   = []string{"*/*"}
	producesLog   = []string{"text/plain", "application/json", "application/yaml", "application/vnd.kubernetes.protobuf"}
	consumesAny   = []string{"*/*"}
	consumesPatch = []string{"application/json-patch+json", "application/merge-patch+json",
		"application/strategic-merge-patch+json", "application/apply-patch+yaml"}
)

var (
	respOK       = func(ref string) response { return response{code: "200", description: "OK", ref: ref} }
	respCreated  = func(ref string) response { return response{code: "201", description: "Created", ref: ref} }
	respAccepted = func(ref string) response { return response{code: "202", description: "Accepted", ref: ref} }
)

func (o operation) render(v3 bool) map[string]any {
	out := map[string]any{
		"description":                     o.description,
		"operationId":                     o.id,
		"tags":                            []string{o.tag},
		"x-kubernetes-action":             o.action,
		"x-kubernetes-group-version-kind": map[string]any{"group": o.gvk.Group, "version": o.gvk.Version, "kind": o.gvk.Kind},
	}
	var params []any
	if o.body != "" && !v3 {
		params = append(params, map[string]any{"name": "body", "in": "body", "required": true,
			"schema": map[string]any{"$ref": refPrefix(false) + o.body}})
	}
	for _, p := range o.params {
		params = append(params, p.render(v3))
	}
	if len(params) > 0 {
		out["parameters"] = params
	}
	responses := map[string]any{}
	for _, r := range o.responses {
		responses[r.code] = r.render(v3, o.produces)
	}
	responses["401"] = map[string]any{"description": "Unauthorized"}
	out["responses"] = responses
	if v3 {
		if o.body != "" {
			content := map[string]any{}
			for _, mt := range o.consumes {
				content[mt] = map[string]any{"schema": map[string]any{"$ref": refPrefix(true) + o.body}}
			}
			out["requestBody"] = map[string]any{"content": content, "required": o.method != "delete"}
		}
	} else {
		out["schemes"] = []string{"https"}
		out["consumes"] = o.consumes
		out["produces"] = o.produces
	}
	return out
}

func (r response) render(v3 bool, produces []string) map[string]any {
	s := map[string]any{"type": "string"}
	if r.ref != "" {
		s = map[string]any{"$ref": refPrefix(v3) + r.ref}
	}
	if !v3 {
		return map[string]any{"description": r.description, "schema": s}
	}
	content := map[string]any{}
	for _, mt := range produces {
		content[mt] = map[string]any{"schema": s}
	}
	return map[string]any{"description": r.description, "content": content}
}

func (p pathItem) render(v3 bool) map[string]any {
	out := map[string]any{}
	for _, o := range p.ops {
		out[o.method] = o.render(v3)
	}
	var params []any
	for _, prm := range p.params {
		params = append(params, prm.render(v3))
	}
	if len(params) > 0 {
		out["parameters"] = params
	}
	return out
}
