package fieldmanager

import (
	"reflect"
	"sort"
	"sync"

	"sigs.k8s.io/structured-merge-diff/v4/schema"
	"sigs.k8s.io/structured-merge-diff/v4/value"
)

// planKind is how a create's field walk treats a value: which path
// elements it has and whether they are one field or many.
type planKind uint8

const (
	// planUnsupported: a shape the walk leaves to structured-merge-diff
	// (values of deduced type, lists indexed by position, custom JSON
	// encodings of maps and lists, …).
	planUnsupported planKind = iota
	// planLeaf: one field however deep: a scalar, or an atomic list,
	// map or struct.
	planLeaf
	// planStruct: a granular map made from a Go struct, a field per
	// JSON field.
	planStruct
	// planMap: a granular map made from a Go map with string keys.
	planMap
	// planKeyedList: an associative list of structs, an item per key.
	planKeyedList
	// planSet: an associative list without keys: a set of scalars.
	planSet
)

// plan is what a create's field walk needs of a Go type under one schema
// type, worked out once.
type plan struct {
	kind   planKind
	fields []fieldPlan // planStruct: the struct's fields by JSON name
	elem   *plan       // planMap: the values; planKeyedList: the items
	keys   []keyPlan   // planKeyedList: the key fields by name
	// plainScalar: a planLeaf whose Go type, when not a pointer, is a
	// string, bool or signed integer written as itself, so compared with
	// its zero value at once.
	plainScalar bool
}

// fieldPlan is one field of a planStruct.
type fieldPlan struct {
	key     []byte // "f:name", quoted
	entry   *value.FieldCacheEntry
	inEmpty bool // the field is written out in the struct's zero value
	plan    *plan
}

// keyPlan is one key field of a planKeyedList's items: a string or a
// signed integer.
type keyPlan struct {
	entry *value.FieldCacheEntry
}

// planKey names a plan: a Go type under a named schema type.
type planKey struct {
	t            reflect.Type
	named        string
	relationship schema.ElementRelationship
}

// planner makes the plans of one schema, shared by every kind's creates.
type planner struct {
	mu     sync.Mutex
	schema *schema.Schema
	plans  map[planKey]*plan
}

func newPlanner() *planner {
	return &planner{plans: map[planKey]*plan{}}
}

// planOf returns the plan of Go type t under type tr of schema s, which
// must be the schema of every call.
func (p *planner) planOf(s *schema.Schema, t reflect.Type, tr schema.TypeRef) (pl *plan) {
	p.mu.Lock()
	defer p.mu.Unlock()
	defer func() {
		if recover() != nil { // a type reflection cannot read (inlined pointers)
			pl = &plan{} // unsupported: the comparison decides
		}
	}()
	if p.schema == nil {
		p.schema = s
	}
	if p.schema != s {
		return &plan{} // another schema's types: unsupported
	}
	return p.build(t, tr)
}

func (p *planner) build(t reflect.Type, tr schema.TypeRef) *plan {
	t = derefType(t)
	var key planKey
	if tr.NamedType != nil {
		key = planKey{t: t, named: *tr.NamedType}
		if tr.ElementRelationship != nil {
			key.relationship = *tr.ElementRelationship
		}
		if pl, ok := p.plans[key]; ok {
			return pl
		}
	}
	pl := &plan{}
	if tr.NamedType != nil {
		p.plans[key] = pl // before the fields: types may hold themselves
	}
	atom, ok := p.schema.Resolve(tr)
	if !ok {
		return pl
	}
	switch {
	case atom.Scalar != nil && atom.List == nil && atom.Map == nil:
		pl.kind = planLeaf
	case atom.Scalar != nil || (atom.List != nil && atom.Map != nil):
		// Untyped: a leaf when every form of it is atomic, or when the Go
		// type is always written as a scalar (IntOrString).
		if atom.List != nil && atom.List.ElementRelationship == schema.Atomic &&
			atom.Map != nil && atom.Map.ElementRelationship == schema.Atomic || scalarType(t) {
			pl.kind = planLeaf
		}
	case atom.Map != nil:
		p.buildMap(pl, t, atom.Map)
	case atom.List != nil:
		p.buildList(pl, t, atom.List)
	}
	if pl.kind == planLeaf {
		k := t.Kind()
		pl.plainScalar = (k == reflect.String || k == reflect.Bool || signedInt(k)) && !encodesItself(t)
	}
	return pl
}

func (p *planner) buildMap(pl *plan, t reflect.Type, m *schema.Map) {
	if m.ElementRelationship == schema.Atomic {
		pl.kind = planLeaf
		return
	}
	if encodesItself(t) {
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		fields, ok := p.structFields(t, value.TypeReflectEntryOf(t), m)
		if ok {
			pl.kind, pl.fields = planStruct, fields
		}
	case reflect.Map:
		if t.Key().Kind() == reflect.String {
			pl.kind, pl.elem = planMap, p.build(t.Elem(), m.ElementType)
		}
	}
}

// structFields plans the fields of struct t, in the order of their JSON
// names, as structured-merge-diff orders them.
func (p *planner) structFields(t reflect.Type, entry *value.TypeReflectCacheEntry, m *schema.Map) ([]fieldPlan, bool) {
	var fields []fieldPlan
	zero := reflect.New(t).Elem()
	for _, f := range entry.OrderedFields() {
		sf, found := m.FindField(f.JsonName)
		tr := sf.Type
		if !found {
			if m.ElementType == (schema.TypeRef{}) {
				return nil, false // a field the schema does not declare
			}
			tr = m.ElementType
		}
		fz := f.GetFrom(zero)
		fields = append(fields, fieldPlan{
			key:     fieldKey(nil, f.JsonName),
			entry:   f,
			inEmpty: !f.CanOmit(fz),
			plan:    p.build(fz.Type(), tr),
		})
	}
	return fields, true
}

func (p *planner) buildList(pl *plan, t reflect.Type, l *schema.List) {
	if l.ElementRelationship == schema.Atomic {
		pl.kind = planLeaf
		return
	}
	if l.ElementRelationship != schema.Associative || encodesItself(t) ||
		t.Kind() != reflect.Slice || t.Elem().Kind() == reflect.Uint8 {
		return
	}
	elem := t.Elem()
	if len(l.Keys) == 0 {
		if k := elem.Kind(); !encodesItself(elem) && (k == reflect.String || signedInt(k)) {
			pl.kind = planSet
		}
		return
	}
	item := p.build(elem, l.ElementType)
	structType := derefType(elem)
	if (item.kind != planStruct && item.kind != planLeaf) || structType.Kind() != reflect.Struct {
		return
	}
	fields := value.TypeReflectEntryOf(structType).Fields()
	zero := reflect.New(structType).Elem()
	keys := append([]string(nil), l.Keys...)
	sort.Strings(keys)
	for _, name := range keys {
		f, ok := fields[name]
		if !ok {
			return
		}
		ft := f.GetFrom(zero).Type()
		if k := ft.Kind(); encodesItself(ft) || (k != reflect.String && !signedInt(k)) {
			return
		}
		pl.keys = append(pl.keys, keyPlan{entry: f})
	}
	pl.kind, pl.elem = planKeyedList, item
}

func derefType(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// unstructuredConverter is structured-merge-diff's interface of types
// that convert themselves (Quantity, Time, Duration), all to scalars.
var unstructuredConverter = reflect.TypeOf((*value.UnstructuredConverter)(nil)).Elem()

// scalarType: t is always written as a scalar.
func scalarType(t reflect.Type) bool {
	if t.Implements(unstructuredConverter) || reflect.PointerTo(t).Implements(unstructuredConverter) {
		return true
	}
	if typer, ok := reflect.New(t).Elem().Interface().(schemaTyper); ok { // IntOrString
		for _, typ := range typer.OpenAPISchemaType() {
			if typ != "string" && typ != "integer" && typ != "number" && typ != "boolean" {
				return false
			}
		}
		return true
	}
	switch k := t.Kind(); {
	case k == reflect.String, k == reflect.Bool, signedInt(k), k == reflect.Float32, k == reflect.Float64:
		return !encodesItself(t)
	}
	return false
}

// encodesItself: t converts itself (a MarshalJSON or ToUnstructured
// method), and structured-merge-diff goes by what it writes rather than by
// its Go form.
func encodesItself(t reflect.Type) bool {
	return value.TypeReflectEntryOf(t).CanConvertToUnstructured()
}

func signedInt(k reflect.Kind) bool {
	switch k {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return true
	}
	return false
}
