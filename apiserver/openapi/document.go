package openapi

import (
	"fmt"
	"reflect"
	"sort"
	"strings"

	runtimeschema "k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/skiff-dev/skiff/apiserver/discovery"
)

// specs are the built documents, as JSON values.
type specs struct {
	v2 map[string]any
	// v3 maps a group version's path ("api/v1", "apis/apps/v1") to its document.
	v3 map[string]map[string]any
}

var bearerToken = map[string]any{
	"description": "Bearer Token authentication", "type": "apiKey", "name": "authorization", "in": "header",
}

// build generates both versions' documents for resources; version is the
// server's gitVersion, written in each document's info.
func build(resources []discovery.Resource, version string) (*specs, error) {
	defs := newDefinitions()
	meta := map[string]string{}
	for _, t := range []reflect.Type{deleteOptionsType, statusType, watchEventType, patchType} {
		name, err := defs.define(t)
		if err != nil {
			return nil, err
		}
		meta[t.Name()] = name
	}
	defs.addGVK(statusType, runtimeschema.GroupVersionKind{Version: "v1", Kind: "Status"})
	served := map[runtimeschema.GroupVersion]bool{{Version: "v1"}: true}

	byGV := map[string][]pathItem{}
	for _, r := range resources {
		p, err := newResourcePaths(defs, r, meta)
		if err != nil {
			return nil, err
		}
		gv := r.GroupVersion()
		served[gv] = true
		defs.addGVK(deref(r.GoType), gv.WithKind(r.Kind))
		if r.ListGoType != nil {
			defs.addGVK(deref(r.ListGoType), gv.WithKind(deref(r.ListGoType).Name()))
		}
		items, err := p.build()
		if err != nil {
			return nil, fmt.Errorf("resource %s.%s/%s: %w", r.Resource, r.Group, r.Version, err)
		}
		key := strings.TrimPrefix(p.prefix, "/")
		byGV[key] = append(byGV[key], items...)
	}
	for gv := range served {
		defs.addGVK(deleteOptionsType, gv.WithKind("DeleteOptions"))
		defs.addGVK(watchEventType, gv.WithKind("WatchEvent"))
	}

	out := &specs{v3: map[string]map[string]any{}}
	info := map[string]any{"title": "Kubernetes", "version": version}
	var all []pathItem
	for key, items := range byGV {
		all = append(all, items...)
		out.v3[key] = map[string]any{
			"openapi": "3.0.0",
			"info":    info,
			"paths":   renderPaths(items, true),
			"components": map[string]any{
				"schemas":         renderDefinitions(defs, items, true),
				"securitySchemes": map[string]any{"BearerToken": bearerToken},
			},
			"security": []any{map[string]any{"BearerToken": []any{}}},
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].path < all[j].path })
	out.v2 = map[string]any{
		"swagger":             "2.0",
		"info":                info,
		"paths":               renderPaths(all, false),
		"definitions":         renderDefinitions(defs, all, false),
		"securityDefinitions": map[string]any{"BearerToken": bearerToken},
		"security":            []any{map[string]any{"BearerToken": []any{}}},
	}
	return out, nil
}

// renderPaths renders items, merging the operations of items that share
// a path.
func renderPaths(items []pathItem, v3 bool) map[string]any {
	merged := map[string]*pathItem{}
	var order []string
	for _, it := range items {
		if m, ok := merged[it.path]; ok {
			m.ops = append(m.ops, it.ops...)
			continue
		}
		copyOf := it
		merged[it.path] = &copyOf
		order = append(order, it.path)
	}
	out := map[string]any{}
	for _, path := range order {
		out[path] = merged[path].render(v3)
	}
	return out
}

// renderDefinitions renders the definitions the operations of items use.
func renderDefinitions(defs *definitions, items []pathItem, v3 bool) map[string]any {
	var roots []string
	for _, it := range items {
		for _, o := range it.ops {
			roots = append(roots, o.body)
			for _, r := range o.responses {
				roots = append(roots, r.ref)
			}
		}
	}
	out := map[string]any{}
	for _, name := range defs.closure(roots) {
		out[name] = defs.render(name, v3)
	}
	return out
}
