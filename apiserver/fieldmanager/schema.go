package fieldmanager

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/kube-openapi/pkg/validation/spec"
)

//go:generate go run gen_markers.go

// marker is what upstream's comment markers say about a struct field
// (markers_generated.go holds them, read from the API types' sources).
type marker struct {
	listType    string
	listMapKeys []string
	mapType     string // +mapType, or +structType on a field
	def         string // +default, as JSON
}

// Types that describe their own schema (metav1.Time, Quantity,
// IntOrString, Duration), as upstream's generator reads them.
type (
	schemaTyper     interface{ OpenAPISchemaType() []string }
	schemaFormatter interface{ OpenAPISchemaFormat() string }
	v3OneOfTyper    interface{ OpenAPIV3OneOfTypes() []string }
)

var (
	jsonUnmarshaler = reflect.TypeOf((*json.Unmarshaler)(nil)).Elem()
	byteSlice       = reflect.TypeOf([]byte(nil))
)

// schemas builds the OpenAPI definitions of Go types by reflection, as
// upstream's generated definitions describe them for server-side apply:
// one definition per named struct, named as upstream names them
// ("io.k8s.api.core.v1.Pod"), with the list, map and struct types and
// defaults of the types' comment markers and the patch strategies of
// their struct tags.
type schemas struct {
	defs  map[string]*spec.Schema
	types map[string]reflect.Type
}

func newSchemas() *schemas {
	return &schemas{defs: map[string]*spec.Schema{}, types: map[string]reflect.Type{}}
}

// addKind defines t (a kind's Go type) and marks its definition with gvk.
func (s *schemas) addKind(t reflect.Type, gvk schema.GroupVersionKind) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	name, err := s.define(t)
	if err != nil {
		return fmt.Errorf("kind %s: %w", gvk, err)
	}
	def := s.defs[name]
	list, _ := def.Extensions["x-kubernetes-group-version-kind"].([]any)
	def.AddExtension("x-kubernetes-group-version-kind", append(list, map[string]any{
		"group": gvk.Group, "version": gvk.Version, "kind": gvk.Kind,
	}))
	return nil
}

// definitionName is upstream's name of a Go type's definition: the
// package path with its domain reversed, then the type's name.
func definitionName(t reflect.Type) string {
	parts := strings.Split(t.PkgPath(), "/")
	domain := strings.Split(parts[0], ".")
	for i, j := 0, len(domain)-1; i < j; i, j = i+1, j-1 {
		domain[i], domain[j] = domain[j], domain[i]
	}
	return strings.Join(append(append(domain, parts[1:]...), t.Name()), ".")
}

// define makes sure the named struct t has a definition and returns its name.
func (s *schemas) define(t reflect.Type) (string, error) {
	if t.Kind() != reflect.Struct || t.Name() == "" {
		return "", fmt.Errorf("%v is not a named struct type", t)
	}
	name := definitionName(t)
	if prev, ok := s.types[name]; ok {
		if prev != t {
			return "", fmt.Errorf("definition %s: both %v and %v", name, prev, t)
		}
		return name, nil
	}
	def := &spec.Schema{}
	s.types[name], s.defs[name] = t, def // before the fields: recursive types end
	zero := reflect.Zero(t).Interface()
	if typer, ok := zero.(schemaTyper); ok {
		def.Type = typer.OpenAPISchemaType()
		if f, ok := zero.(schemaFormatter); ok {
			def.Format = f.OpenAPISchemaFormat()
		}
		if o, ok := zero.(v3OneOfTyper); ok {
			// OpenAPI v3 form, as upstream's server-side apply reads it:
			// no type, one of these (IntOrString: any scalar).
			def.Type = nil
			for _, typ := range o.OpenAPIV3OneOfTypes() {
				def.OneOf = append(def.OneOf, spec.Schema{SchemaProps: spec.SchemaProps{Type: spec.StringOrArray{typ}}})
			}
		}
		return name, nil
	}
	def.Type = spec.StringOrArray{"object"}
	if v, ok := typeMarkers[t.PkgPath()+"."+t.Name()]; ok {
		def.AddExtension("x-kubernetes-map-type", v)
	}
	if err := s.addFields(def, t); err != nil {
		return "", fmt.Errorf("definition %s: %w", name, err)
	}
	return name, nil
}

// addFields adds t's JSON fields to def, flattening inlined structs
// (TypeMeta) as encoding/json does.
func (s *schemas) addFields(def *spec.Schema, t reflect.Type) error {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		ft := f.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if f.Anonymous && name == "" && ft.Kind() == reflect.Struct {
			if err := s.addFields(def, ft); err != nil {
				return err
			}
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		prop, err := s.property(t, f, hasOption(opts, "omitempty"), hasOption(opts, "string"))
		if err != nil {
			return fmt.Errorf("field %s: %w", f.Name, err)
		}
		if def.Properties == nil {
			def.Properties = map[string]spec.Schema{}
		}
		def.Properties[name] = prop
	}
	return nil
}

func hasOption(opts, want string) bool {
	for _, o := range strings.Split(opts, ",") {
		if o == want {
			return true
		}
	}
	return false
}

// property is the schema of owner's field f with the extensions and
// default upstream's generator gives it.
func (s *schemas) property(owner reflect.Type, f reflect.StructField, omitEmpty, asString bool) (spec.Schema, error) {
	var prop spec.Schema
	if asString {
		prop.Type = spec.StringOrArray{"string"}
	} else {
		var err error
		if prop, err = s.schemaOf(f.Type); err != nil {
			return prop, err
		}
	}
	m := fieldMarkers[owner.PkgPath()+"."+owner.Name()+"."+f.Name]
	if v := f.Tag.Get("patchStrategy"); v != "" {
		prop.AddExtension("x-kubernetes-patch-strategy", v)
	}
	if v := f.Tag.Get("patchMergeKey"); v != "" {
		prop.AddExtension("x-kubernetes-patch-merge-key", v)
	}
	if m.listType != "" {
		prop.AddExtension("x-kubernetes-list-type", m.listType)
	}
	if len(m.listMapKeys) > 0 {
		keys := make([]any, len(m.listMapKeys))
		for i, k := range m.listMapKeys {
			keys[i] = k
		}
		prop.AddExtension("x-kubernetes-list-map-keys", keys)
	}
	if m.mapType != "" {
		prop.AddExtension("x-kubernetes-map-type", m.mapType)
	}
	if m.def != "" {
		def, err := decodeDefault(m.def)
		if err != nil {
			return prop, fmt.Errorf("default %s: %w", m.def, err)
		}
		prop.Default = def
	} else if !asString {
		prop.Default = enforcedDefault(f.Type, omitEmpty)
	}
	return prop, nil
}

// schemaOf is the schema of a value of type t: a reference to the
// definition of a named struct, or the schema itself.
func (s *schemas) schemaOf(t reflect.Type) (spec.Schema, error) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == byteSlice || (t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8) {
		return spec.Schema{SchemaProps: spec.SchemaProps{Type: spec.StringOrArray{"string"}, Format: "byte"}}, nil
	}
	switch t.Kind() {
	case reflect.Struct:
		if t.Name() == "" {
			def := spec.Schema{SchemaProps: spec.SchemaProps{Type: spec.StringOrArray{"object"}}}
			return def, s.addFields(&def, t)
		}
		name, err := s.define(t)
		if err != nil {
			return spec.Schema{}, err
		}
		return spec.Schema{SchemaProps: spec.SchemaProps{Ref: spec.MustCreateRef("#/definitions/" + name)}}, nil
	case reflect.Slice, reflect.Array:
		items, err := s.schemaOf(t.Elem())
		if err != nil {
			return spec.Schema{}, err
		}
		return spec.Schema{SchemaProps: spec.SchemaProps{
			Type: spec.StringOrArray{"array"}, Items: &spec.SchemaOrArray{Schema: &items},
		}}, nil
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			return spec.Schema{}, fmt.Errorf("map %v: keys are not strings", t)
		}
		elem, err := s.schemaOf(t.Elem())
		if err != nil {
			return spec.Schema{}, err
		}
		return spec.Schema{SchemaProps: spec.SchemaProps{
			Type: spec.StringOrArray{"object"}, AdditionalProperties: &spec.SchemaOrBool{Allows: true, Schema: &elem},
		}}, nil
	case reflect.Interface:
		return spec.Schema{SchemaProps: spec.SchemaProps{Type: spec.StringOrArray{"object"}}}, nil
	}
	typ, format := primitive(t.Kind())
	if typ == "" {
		return spec.Schema{}, fmt.Errorf("type %v has no schema", t)
	}
	return spec.Schema{SchemaProps: spec.SchemaProps{Type: spec.StringOrArray{typ}, Format: format}}, nil
}

// primitive is upstream's OpenAPI type and format of a Go kind.
func primitive(k reflect.Kind) (string, string) {
	switch k {
	case reflect.String:
		return "string", ""
	case reflect.Bool:
		return "boolean", ""
	case reflect.Int8, reflect.Uint8:
		return "integer", "byte"
	case reflect.Int, reflect.Int16, reflect.Int32, reflect.Uint, reflect.Uint16:
		return "integer", "int32"
	case reflect.Int64, reflect.Uint32, reflect.Uint64:
		return "integer", "int64"
	case reflect.Float32:
		return "number", "float"
	case reflect.Float64:
		return "number", "double"
	}
	return "", ""
}
