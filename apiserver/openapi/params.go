package openapi

import (
	"reflect"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// parameter is one operation or path parameter.
type parameter struct {
	name, in, description, typ string
	required                   bool
}

func (p parameter) render(v3 bool) map[string]any {
	out := map[string]any{"name": p.name, "in": p.in}
	if p.description != "" {
		out["description"] = p.description
	}
	if p.required {
		out["required"] = true
	}
	if v3 {
		out["schema"] = map[string]any{"type": p.typ, "uniqueItems": true}
	} else {
		out["type"] = p.typ
		out["uniqueItems"] = true
	}
	return out
}

// The path parameters and the one query parameter every path has.
var (
	paramNamespace = parameter{name: "namespace", in: "path", typ: "string", required: true,
		description: "object name and auth scope, such as for teams and projects"}
	paramPretty = parameter{name: "pretty", in: "query", typ: "string",
		description: "If 'true', then the output is pretty printed. Defaults to 'false' unless the user-agent indicates a browser or command-line HTTP tool (curl and wget)."}
)

func paramName(kind string) parameter {
	return parameter{name: "name", in: "path", typ: "string", required: true, description: "name of the " + kind}
}

// The query parameters of each kind of request, taken, as upstream takes
// them, from the fields of the options types and their descriptions.
var (
	listParams   = queryParams(reflect.TypeOf(metav1.ListOptions{}))
	createParams = queryParams(reflect.TypeOf(metav1.CreateOptions{}))
	updateParams = queryParams(reflect.TypeOf(metav1.UpdateOptions{}))
	patchParams  = queryParams(reflect.TypeOf(metav1.PatchOptions{}))
	deleteParams = queryParams(reflect.TypeOf(metav1.DeleteOptions{}))
	// deleteCollectionParams are DeleteOptions' and then ListOptions'.
	deleteCollectionParams = append(append([]parameter{}, deleteParams...), listParams...)
)

// queryParams turns the scalar fields of an options struct into query
// parameters: slices travel as repeated scalars; nested structs
// (DeleteOptions.preconditions) do not travel in the query.
func queryParams(t reflect.Type) []parameter {
	docs := swaggerDoc(t)
	var out []parameter
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Anonymous || !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		ft := f.Type
		for ft.Kind() == reflect.Pointer || ft.Kind() == reflect.Slice {
			ft = ft.Elem()
		}
		typ, _, ok := primitive(ft.Kind())
		if !ok {
			continue
		}
		out = append(out, parameter{name: name, in: "query", typ: typ, description: docs[name]})
	}
	return out
}
