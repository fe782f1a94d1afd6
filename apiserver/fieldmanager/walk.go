package fieldmanager

import (
	"errors"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"sigs.k8s.io/structured-merge-diff/v4/fieldpath"
	"sigs.k8s.io/structured-merge-diff/v4/value"
)

// errUnsupported: the object has a shape the walk leaves to
// structured-merge-diff's comparison, which decides what it means.
var errUnsupported = errors.New("shape left to structured-merge-diff")

// fieldsWalk writes the FieldsV1 JSON of the fields a create sets, read
// straight from the Go object: what structured-merge-diff finds comparing
// the object with an empty one of its kind (less the reset and stripped
// fields), without building either as a typed value. Path elements come
// out in structured-merge-diff's order: struct fields and map keys by
// name, list items by their keys.
type fieldsWalk struct {
	buf     []byte
	scratch []byte // the key of the next node: map keys and list items
}

// walkRoot writes the set of root, the object (a struct under plan pl),
// or returns errUnsupported. An empty set is written as nothing.
func (w *fieldsWalk) walkRoot(root reflect.Value, pl *plan, reset, strip *fieldpath.Set) error {
	root = deref(root)
	if pl.kind != planStruct || root.Kind() != reflect.Struct {
		return errUnsupported
	}
	w.buf = append(w.buf[:0], '{')
	n, err := w.structFields(root, pl, true, reset, strip)
	if err != nil {
		return err
	}
	if n == 0 {
		w.buf = w.buf[:0]
		return nil
	}
	w.buf = append(w.buf, '}')
	return nil
}

// structFields writes the fields of struct v that the object sets.
// inEmpty: v is in the empty object (as its type's zero value), so only
// the fields that differ from it count. It returns how many it wrote.
func (w *fieldsWalk) structFields(v reflect.Value, pl *plan, inEmpty bool, reset, strip *fieldpath.Set) (int, error) {
	n := 0
	for i := range pl.fields {
		f := &pl.fields[i]
		fv := f.entry.GetFrom(v)
		if f.entry.CanOmit(fv) {
			continue // absent here; what the empty object has is not added
		}
		fieldReset, fieldStrip := reset, strip
		stripped := false
		if reset != nil || strip != nil {
			var skip bool
			if fieldReset, fieldStrip, skip, stripped = descend(f.entry.JsonName, reset, strip); skip {
				continue
			}
		}
		mark := len(w.buf)
		if n > 0 {
			w.buf = append(w.buf, ',')
		}
		wrote, err := w.node(f.key, fv, f.plan, inEmpty && f.inEmpty, stripped, fieldReset, fieldStrip)
		if err != nil {
			return 0, err
		}
		if wrote {
			n++
		} else {
			w.buf = w.buf[:mark]
		}
	}
	return n, nil
}

// descend looks field name up in the reset and strip sets: skip when the
// reset set holds it (it and all below go), stripped when the strip set
// holds it (it goes, what is below stays), and the sets below it.
func descend(name string, reset, strip *fieldpath.Set) (childReset, childStrip *fieldpath.Set, skip, stripped bool) {
	pe := fieldpath.PathElement{FieldName: &name}
	if reset != nil {
		if reset.Members.Has(pe) {
			return nil, nil, true, false
		}
		childReset, _ = reset.Children.Get(pe)
	}
	if strip != nil {
		stripped = strip.Members.Has(pe)
		childStrip, _ = strip.Children.Get(pe)
	}
	return childReset, childStrip, false, stripped
}

// fieldKey appends the quoted JSON key of field name ("f:name") to b.
func fieldKey(b []byte, name string) []byte {
	b = append(b, `"f:`...)
	b = append(b, name...)
	return append(b, '"')
}

// node writes the path element key (which it has copied before it
// writes anything else) and what is at and below it in v under pl.
// inEmpty: the empty object holds the zero value of v's type here;
// otherwise it holds nothing, and all v holds is added. It reports
// whether it wrote anything.
func (w *fieldsWalk) node(key []byte, v reflect.Value, pl *plan, inEmpty, stripped bool, reset, strip *fieldpath.Set) (bool, error) {
	if pl.kind == planUnsupported {
		return false, errUnsupported
	}
	if stripped && pl.kind == planLeaf {
		return false, nil // neither it nor anything below
	}
	member, below := !inEmpty, false
	memberIfEmpty := false // null in the empty object, empty here: modified
	if inEmpty {
		switch pl.kind {
		case planLeaf:
			differs, err := differsFromZero(v, pl)
			if err != nil {
				return false, err
			}
			member = differs
		case planStruct:
			// A struct held by value is in the empty object with its own
			// fields; one behind a pointer is null there, so all it holds
			// is added, though not it.
			below = !isNull(v)
			inEmpty = v.Kind() == reflect.Struct
		default: // null in the empty object: all v holds is added
			below, inEmpty = !isNull(v), false
		}
		memberIfEmpty = below && isNullable(v)
	} else {
		below = pl.kind != planLeaf && !isNull(v)
	}
	if stripped {
		member, memberIfEmpty = false, false
	}
	if !member && !below {
		return false, nil
	}
	if (reset != nil || strip != nil) && pl.kind != planStruct {
		return false, errUnsupported // reset or stripped map keys or list items
	}
	w.buf = append(w.buf, key...)
	w.buf = append(w.buf, ':', '{')
	open := len(w.buf)
	if member {
		w.buf = append(w.buf, `".":{}`...)
	}
	n := 0
	if below {
		if member {
			w.buf = append(w.buf, ',') // dropped below when nothing follows
		}
		var err error
		if n, err = w.children(deref(v), pl, inEmpty, reset, strip); err != nil {
			return false, err
		}
	}
	switch {
	case n == 0 && (member || memberIfEmpty):
		w.buf = w.buf[:open] // a member with nothing below: {}
	case n == 0:
		return false, nil
	}
	w.buf = append(w.buf, '}')
	return true, nil
}

// children writes what is below v and returns how many path elements it
// wrote.
func (w *fieldsWalk) children(v reflect.Value, pl *plan, inEmpty bool, reset, strip *fieldpath.Set) (int, error) {
	switch pl.kind {
	case planStruct:
		return w.structFields(v, pl, inEmpty, reset, strip)
	case planMap:
		return w.mapEntries(v, pl)
	case planKeyedList:
		return w.keyedItems(v, pl)
	case planSet:
		return w.setItems(v, pl)
	}
	return 0, errUnsupported
}

// mapEntries writes a field per key of map v, in key order; every entry
// is added.
func (w *fieldsWalk) mapEntries(v reflect.Value, pl *plan) (int, error) {
	names := make([]string, 0, v.Len())
	key := reflect.New(v.Type().Key()).Elem()
	for iter := v.MapRange(); iter.Next(); {
		key.SetIterKey(iter) // no copy of the key, unlike iter.Key()
		name := key.String()
		if !plainJSON(name) {
			return 0, errUnsupported
		}
		names = append(names, name)
	}
	slices.Sort(names)
	for i, name := range names {
		if i > 0 {
			w.buf = append(w.buf, ',')
		}
		w.scratch = fieldKey(w.scratch[:0], name)
		if pl.elem.kind == planLeaf { // an added leaf: a member, whatever it holds
			w.buf = append(w.buf, w.scratch...)
			w.buf = append(w.buf, ":{}"...)
			continue
		}
		key.SetString(name)
		if _, err := w.node(w.scratch, v.MapIndex(key), pl.elem, false, false, nil, nil); err != nil {
			return 0, err
		}
	}
	return len(names), nil // an added entry is always written: it is a member
}

// scalar is a key field's or set item's value: a string or an integer.
type scalar struct {
	s     string
	i     int64
	isInt bool
}

func readScalar(v reflect.Value) (scalar, bool) {
	v = deref(v)
	switch {
	case v.Kind() == reflect.String:
		return scalar{s: v.String()}, plainJSON(v.String())
	case signedInt(v.Kind()):
		return scalar{i: v.Int(), isInt: true}, true
	}
	return scalar{}, false
}

// compare orders scalars as structured-merge-diff orders values: integers
// before strings, integers by value, strings by bytes.
func (a scalar) compare(b scalar) int {
	switch {
	case a.isInt && b.isInt:
		return value.IntCompare(a.i, b.i)
	case a.isInt:
		return -1
	case b.isInt:
		return 1
	}
	return strings.Compare(a.s, b.s)
}

// appendEscaped appends the scalar's JSON inside a JSON string: a string's
// quotes escaped.
func (a scalar) appendEscaped(b []byte) []byte {
	if a.isInt {
		return strconv.AppendInt(b, a.i, 10)
	}
	b = append(b, `\"`...)
	b = append(b, a.s...)
	return append(b, `\"`...)
}

// keyedItems writes an item per element of associative list v, named by
// its key fields ("k:{\"name\":\"main\"}"), in key order; every item is
// added. Items without a key field or with the key of another are left
// to structured-merge-diff.
func (w *fieldsWalk) keyedItems(v reflect.Value, pl *plan) (int, error) {
	n, nk := v.Len(), len(pl.keys)
	keys := make([]scalar, n*nk)
	for i := range n {
		item := deref(v.Index(i))
		if item.Kind() != reflect.Struct {
			return 0, errUnsupported
		}
		for j := range pl.keys {
			kv := pl.keys[j].entry.GetFrom(item)
			if pl.keys[j].entry.CanOmit(kv) {
				return 0, errUnsupported // a missing key: defaults apply
			}
			s, ok := readScalar(kv)
			if !ok {
				return 0, errUnsupported
			}
			keys[i*nk+j] = s
		}
	}
	cmp := func(a, b int) int {
		for j := range nk {
			if c := keys[a*nk+j].compare(keys[b*nk+j]); c != 0 {
				return c
			}
		}
		return 0
	}
	order := sortedIndexes(n, cmp)
	if order == nil {
		return 0, errUnsupported // duplicate keys
	}
	written := 0
	for _, i := range order {
		if written > 0 {
			w.buf = append(w.buf, ',')
		}
		key := append(w.scratch[:0], `"k:{`...)
		for j, k := range pl.keys {
			if j > 0 {
				key = append(key, ',')
			}
			key = append(key, `\"`...)
			key = append(key, k.entry.JsonName...)
			key = append(key, `\":`...)
			key = keys[i*nk+j].appendEscaped(key)
		}
		key = append(key, `}"`...)
		w.scratch = key
		if _, err := w.node(key, v.Index(i), pl.elem, false, false, nil, nil); err != nil {
			return 0, err
		}
		written++ // an added item is always written: it is a member
	}
	return written, nil
}

// setItems writes a member per element of set v ("v:\"x\""), in value
// order.
func (w *fieldsWalk) setItems(v reflect.Value, pl *plan) (int, error) {
	n := v.Len()
	items := make([]scalar, n)
	for i := range n {
		s, ok := readScalar(v.Index(i))
		if !ok {
			return 0, errUnsupported
		}
		items[i] = s
	}
	order := sortedIndexes(n, func(a, b int) int { return items[a].compare(items[b]) })
	if order == nil {
		return 0, errUnsupported // duplicates
	}
	for k, i := range order {
		if k > 0 {
			w.buf = append(w.buf, ',')
		}
		w.buf = append(w.buf, `"v:`...)
		w.buf = items[i].appendEscaped(w.buf)
		w.buf = append(w.buf, `":{}`...)
	}
	return n, nil
}

// sortedIndexes returns 0..n-1 ordered by cmp, or nil when two compare
// equal.
func sortedIndexes(n int, cmp func(a, b int) int) []int {
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, cmp)
	for i := 1; i < n; i++ {
		if cmp(order[i-1], order[i]) == 0 {
			return nil
		}
	}
	return order
}

// differsFromZero reports whether leaf v (under plan pl) differs from the
// zero value of its type, as structured-merge-diff compares the two: at
// once for scalars and null, by its own comparison of values otherwise.
func differsFromZero(v reflect.Value, pl *plan) (bool, error) {
	switch k := v.Kind(); {
	case isNullable(v) && v.IsNil():
		return false, nil // null, as the zero value
	case pl.plainScalar && k != reflect.Pointer:
		return !v.IsZero(), nil
	case k == reflect.Pointer: // against null: differs unless written as null
		b, err := value.NewValueReflect(v.Interface())
		if err != nil {
			return false, err
		}
		return !b.IsNull(), nil
	case k == reflect.Interface:
		return false, errUnsupported
	}
	zero := reflect.New(v.Type())
	this := reflect.New(v.Type())
	this.Elem().Set(v)
	a, err := value.NewValueReflect(zero.Interface())
	if err != nil {
		return false, err
	}
	b, err := value.NewValueReflect(this.Interface())
	if err != nil {
		return false, err
	}
	return !value.Equals(a, b), nil
}

// isNullable reports whether v's type is written as null when zero.
func isNullable(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Interface:
		return true
	}
	return false
}

// isNull reports whether v is written as null.
func isNull(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Interface:
		return v.IsNil()
	}
	return false
}

func deref(v reflect.Value) reflect.Value {
	for v.Kind() == reflect.Pointer && !v.IsNil() {
		v = v.Elem()
	}
	return v
}

// plainJSON reports whether s is written in JSON as it is, within quotes,
// by structured-merge-diff's encoder: printable ASCII but for the quote,
// the backslash and what it escapes for HTML.
func plainJSON(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return false
		}
	}
	return true
}
