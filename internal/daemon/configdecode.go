package daemon

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/spf13/viper"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"sigs.k8s.io/yaml"
)

// The config decoder walks the document and the struct together, so every
// error carries the field's path. Structs (and pointers to, slices of and
// string-keyed maps of structs) are walked; every other field — scalars, and
// types with their own UnmarshalJSON such as metav1.Duration — is a leaf,
// decoded by encoding/json with unknown fields disallowed.

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

type shape int

const (
	shapeLeaf shape = iota
	shapeStruct
	shapePtrStruct
	shapeSliceStruct
	shapeMapStruct
)

func shapeOf(t reflect.Type) shape {
	walkable := func(t reflect.Type) bool {
		return t.Kind() == reflect.Struct && !decodesItself(t)
	}
	switch {
	case walkable(t):
		return shapeStruct
	case t.Kind() == reflect.Pointer && walkable(t.Elem()):
		return shapePtrStruct
	case t.Kind() == reflect.Slice && walkable(t.Elem()):
		return shapeSliceStruct
	case t.Kind() == reflect.Map && t.Key().Kind() == reflect.String && walkable(t.Elem()):
		return shapeMapStruct
	}
	return shapeLeaf
}

func decodesItself(t reflect.Type) bool {
	p := reflect.PointerTo(t)
	return p.Implements(jsonUnmarshaler) || p.Implements(textUnmarshaler)
}

// jsonFields maps the json names of struct type t's fields to their index,
// flattening embedded structs without a name (metav1.TypeMeta's ",inline").
// Fields of t itself win over promoted ones, as in encoding/json.
func jsonFields(t reflect.Type) map[string][]int {
	own := map[string][]int{}
	promoted := map[string][]int{}
	for i := range t.NumField() {
		sf := t.Field(i)
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if sf.Anonymous && name == "" && sf.Type.Kind() == reflect.Struct {
			for n, idx := range jsonFields(sf.Type) {
				promoted[n] = append([]int{i}, idx...)
			}
			continue
		}
		if !sf.IsExported() {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		own[name] = []int{i}
	}
	for n, idx := range promoted {
		if _, ok := own[n]; !ok {
			own[n] = idx
		}
	}
	return own
}

func child(p *field.Path, name string) *field.Path {
	if p == nil {
		return field.NewPath(name)
	}
	return p.Child(name)
}

// decodeYAML overlays the YAML document data onto v, a struct value.
func decodeYAML(data []byte, v reflect.Value) error {
	js, err := yaml.YAMLToJSONStrict(data)
	if err != nil {
		return err
	}
	return errors.Join(decodeInto(nil, js, v)...)
}

// decodeInto overlays the JSON raw onto the settable value v at path p.
func decodeInto(p *field.Path, raw []byte, v reflect.Value) []error {
	trimmed := bytes.TrimSpace(raw)
	null := len(trimmed) == 0 || bytes.Equal(trimmed, []byte("null"))
	switch shapeOf(v.Type()) {
	case shapeStruct:
		if null {
			return nil // keep the defaults
		}
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(raw, &obj); err != nil {
			return []error{typeError(p, raw, "must be an object")}
		}
		fields := jsonFields(v.Type())
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var errs []error
		for _, k := range keys {
			idx, ok := fields[k]
			if !ok {
				errs = append(errs, fmt.Errorf("unknown field %q", child(p, k).String()))
				continue
			}
			errs = append(errs, decodeInto(child(p, k), obj[k], v.FieldByIndex(idx))...)
		}
		return errs
	case shapePtrStruct:
		if null {
			v.SetZero()
			return nil
		}
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		return decodeInto(p, raw, v.Elem())
	case shapeSliceStruct:
		if null {
			v.SetZero()
			return nil
		}
		var items []json.RawMessage
		if err := json.Unmarshal(raw, &items); err != nil {
			return []error{typeError(p, raw, "must be a list")}
		}
		s := reflect.MakeSlice(v.Type(), len(items), len(items))
		var errs []error
		for i, item := range items {
			errs = append(errs, decodeInto(p.Index(i), item, s.Index(i))...)
		}
		v.Set(s)
		return errs
	case shapeMapStruct:
		if null {
			v.SetZero()
			return nil
		}
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(raw, &obj); err != nil {
			return []error{typeError(p, raw, "must be an object")}
		}
		m := reflect.MakeMapWithSize(v.Type(), len(obj))
		var errs []error
		for k, item := range obj {
			elem := reflect.New(v.Type().Elem()).Elem()
			errs = append(errs, decodeInto(p.Key(k), item, elem)...)
			m.SetMapIndex(reflect.ValueOf(k).Convert(v.Type().Key()), elem)
		}
		v.Set(m)
		return errs
	}
	// A leaf is decoded into a fresh value, so a failure leaves v untouched
	// and a list or map from the file replaces the default instead of merging.
	fresh := reflect.New(v.Type())
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(fresh.Interface()); err != nil {
		return []error{typeError(p, raw, strings.TrimPrefix(err.Error(), "json: "))}
	}
	v.Set(fresh.Elem())
	return nil
}

// typeError names the field whose value could not be decoded.
func typeError(p *field.Path, raw []byte, detail string) error {
	var value any
	if err := json.Unmarshal(raw, &value); err != nil {
		value = string(raw)
	}
	if p == nil {
		return fmt.Errorf("invalid document: %s", detail)
	}
	return field.TypeInvalid(p, value, detail)
}

// applyEnv overlays the environment variables named for v's leaf fields.
func applyEnv(prefix string, v reflect.Value) error {
	prefix = strings.TrimSuffix(prefix, "_")
	env := viper.New()
	env.SetEnvPrefix(prefix)
	env.SetEnvKeyReplacer(strings.NewReplacer(".", "_"))
	env.AutomaticEnv()
	var errs []error
	walkLeaves(v.Type(), nil, nil, map[reflect.Type]bool{}, func(names []string, steps [][]int) {
		key := strings.Join(names, ".")
		if !env.IsSet(key) {
			return
		}
		name := strings.ToUpper(prefix + "_" + strings.Join(names, "_"))
		p := field.NewPath(names[0], names[1:]...)
		if err := decodeEnv(p, env.GetString(key), fieldAt(v, steps)); err != nil {
			errs = append(errs, fmt.Errorf("environment variable %s: %w", name, err))
		}
	})
	return errors.Join(errs...)
}

// decodeEnv sets target from an environment variable's text: as a JSON
// string if the field takes one, else parsed as YAML.
func decodeEnv(p *field.Path, text string, target reflect.Value) error {
	quoted, _ := json.Marshal(text)
	if errs := decodeInto(p, quoted, target); len(errs) == 0 {
		return nil
	}
	js, err := yaml.YAMLToJSON([]byte(text))
	if err != nil {
		return fmt.Errorf("%s: %w", p, err)
	}
	return errors.Join(decodeInto(p, js, target)...)
}

// walkLeaves calls fn with the json names and field indexes of every leaf
// under struct type t; pointers to structs are walked through, and a type
// already on the way down is not walked again.
func walkLeaves(t reflect.Type, names []string, steps [][]int, seen map[reflect.Type]bool, fn func([]string, [][]int)) {
	if seen[t] {
		return
	}
	seen[t] = true
	defer delete(seen, t)
	fields := jsonFields(t)
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		idx := fields[k]
		ft := t.FieldByIndex(idx).Type
		n := append(append([]string{}, names...), k)
		s := append(append([][]int{}, steps...), idx)
		switch shapeOf(ft) {
		case shapeStruct:
			walkLeaves(ft, n, s, seen, fn)
		case shapePtrStruct:
			walkLeaves(ft.Elem(), n, s, seen, fn)
		default:
			fn(n, s)
		}
	}
}

// fieldAt returns the field reached by steps from root, allocating nil
// pointers to structs on the way.
func fieldAt(root reflect.Value, steps [][]int) reflect.Value {
	v := root
	for _, idx := range steps {
		if v.Kind() == reflect.Pointer {
			if v.IsNil() {
				v.Set(reflect.New(v.Type().Elem()))
			}
			v = v.Elem()
		}
		v = v.FieldByIndex(idx)
	}
	return v
}
