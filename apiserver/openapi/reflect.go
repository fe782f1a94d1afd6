package openapi

import (
	"fmt"
	"reflect"
	"sort"
	"strings"

	runtimeschema "k8s.io/apimachinery/pkg/runtime/schema"
)

// definitions builds the schemas of Go types by reflection, one
// definition per named struct type, shared by every document.
type definitions struct {
	schemas map[string]*schema
	types   map[string]reflect.Type
	gvks    map[string][]runtimeschema.GroupVersionKind
}

func newDefinitions() *definitions {
	return &definitions{schemas: map[string]*schema{}, types: map[string]reflect.Type{},
		gvks: map[string][]runtimeschema.GroupVersionKind{}}
}

// define makes sure t (a named struct type) has a definition and returns
// its name.
func (d *definitions) define(t reflect.Type) (string, error) {
	if t.Kind() != reflect.Struct || t.Name() == "" {
		return "", fmt.Errorf("%v is not a named struct type", t)
	}
	name := definitionName(t)
	if prev, ok := d.types[name]; ok {
		if prev != t {
			return "", fmt.Errorf("definition %s: both %v and %v", name, prev, t)
		}
		return name, nil
	}
	d.types[name] = t
	s := &schema{description: swaggerDoc(t)[""]}
	if desc, ok := descriptions[name]; ok {
		s.description = desc
	}
	d.schemas[name] = s // before the fields, so that recursive types end
	if custom, ok := customSchema(t); ok {
		s.typ, s.format, s.oneOfTypes = custom.typ, custom.format, custom.oneOfTypes
		return name, nil
	}
	s.typ = "object"
	if err := d.addFields(s, t, swaggerDoc(t)); err != nil {
		return "", fmt.Errorf("definition %s: %w", name, err)
	}
	return name, nil
}

// addFields adds t's JSON fields to s, flattening inlined structs
// (TypeMeta) with their own descriptions.
func (d *definitions) addFields(s *schema, t reflect.Type, docs map[string]string) error {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		omitEmpty := strings.Contains(","+opts+",", ",omitempty,")
		ft := f.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if f.Anonymous && name == "" && ft.Kind() == reflect.Struct {
			if err := d.addFields(s, ft, swaggerDoc(ft)); err != nil {
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
		prop, err := d.fieldSchema(f.Type)
		if err != nil {
			return fmt.Errorf("field %s: %w", name, err)
		}
		prop.description = docs[name]
		prop.def = enforcedDefault(f.Type, omitEmpty)
		if strategy := f.Tag.Get("patchStrategy"); strategy != "" {
			prop.setExt("x-kubernetes-patch-strategy", strategy)
		}
		if key := f.Tag.Get("patchMergeKey"); key != "" {
			prop.setExt("x-kubernetes-patch-merge-key", key)
		}
		if s.properties == nil {
			s.properties = map[string]*schema{}
		}
		s.properties[name] = prop
		if !omitEmpty {
			s.required = append(s.required, name)
		}
	}
	return nil
}

// fieldSchema is the schema of a value of type t: a reference for named
// structs, inline for everything else.
func (d *definitions) fieldSchema(t reflect.Type) (*schema, error) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() == reflect.Struct {
		if t.Name() == "" {
			return nil, fmt.Errorf("anonymous struct %v", t)
		}
		name, err := d.define(t)
		if err != nil {
			return nil, err
		}
		return &schema{ref: name}, nil
	}
	if custom, ok := customSchema(t); ok {
		return custom, nil
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return &schema{typ: "string", format: "byte"}, nil
		}
		items, err := d.fieldSchema(t.Elem())
		if err != nil {
			return nil, err
		}
		items.def = enforcedDefault(t.Elem(), false)
		return &schema{typ: "array", items: items}, nil
	case reflect.Map:
		values, err := d.fieldSchema(t.Elem())
		if err != nil {
			return nil, err
		}
		values.def = enforcedDefault(t.Elem(), false)
		return &schema{typ: "object", additional: values}, nil
	case reflect.Interface:
		return &schema{typ: "object"}, nil
	}
	typ, format, ok := primitive(t.Kind())
	if !ok {
		return nil, fmt.Errorf("no OpenAPI type for %v", t)
	}
	return &schema{typ: typ, format: format}, nil
}

// primitive maps Go kinds as upstream's generator does.
func primitive(k reflect.Kind) (typ, format string, ok bool) {
	switch k {
	case reflect.String:
		return "string", "", true
	case reflect.Bool:
		return "boolean", "", true
	case reflect.Int8, reflect.Uint8:
		return "integer", "byte", true
	case reflect.Int, reflect.Int16, reflect.Int32, reflect.Uint, reflect.Uint16:
		return "integer", "int32", true
	case reflect.Int64, reflect.Uint32, reflect.Uint64:
		return "integer", "int64", true
	case reflect.Float32:
		return "number", "float", true
	case reflect.Float64:
		return "number", "double", true
	}
	return "", "", false
}

// enforcedDefault is the default upstream's generator writes for a field
// of type t: {} for a struct held by value, the zero value for a primitive
// that is always serialized, nothing otherwise.
func enforcedDefault(t reflect.Type, omitEmpty bool) any {
	switch t.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Array, reflect.Interface:
		return nil
	case reflect.Struct:
		if _, ok := customSchema(t); ok {
			return nil
		}
		return map[string]any{}
	}
	if omitEmpty {
		return nil
	}
	switch t.Kind() {
	case reflect.String:
		return ""
	case reflect.Bool:
		return false
	case reflect.Float32, reflect.Float64:
		return 0.0
	default:
		return 0
	}
}

// addGVK records that the type's definition is served as gvk; the
// definition then carries x-kubernetes-group-version-kind.
func (d *definitions) addGVK(t reflect.Type, gvk runtimeschema.GroupVersionKind) {
	name := definitionName(t)
	for _, have := range d.gvks[name] {
		if have == gvk {
			return
		}
	}
	d.gvks[name] = append(d.gvks[name], gvk)
}

// render returns the definition's JSON form, with its kinds sorted as
// upstream sorts them (by group, then version).
func (d *definitions) render(name string, v3 bool) map[string]any {
	out := d.schemas[name].render(v3)
	gvks := append([]runtimeschema.GroupVersionKind(nil), d.gvks[name]...)
	if len(gvks) == 0 {
		return out
	}
	sort.Slice(gvks, func(i, j int) bool {
		if gvks[i].Group != gvks[j].Group {
			return gvks[i].Group < gvks[j].Group
		}
		if gvks[i].Version != gvks[j].Version {
			return gvks[i].Version < gvks[j].Version
		}
		return gvks[i].Kind < gvks[j].Kind
	})
	var list []any
	for _, g := range gvks {
		list = append(list, map[string]any{"group": g.Group, "version": g.Version, "kind": g.Kind})
	}
	out["x-kubernetes-group-version-kind"] = list
	return out
}

// closure returns the names of roots and of every definition they refer
// to, transitively.
func (d *definitions) closure(roots []string) []string {
	seen := map[string]bool{}
	var visit func(string)
	visit = func(name string) {
		if name == "" || seen[name] {
			return
		}
		seen[name] = true
		d.schemas[name].refs(visit)
	}
	for _, r := range roots {
		visit(r)
	}
	out := make([]string, 0, len(seen))
	for name := range seen {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}
