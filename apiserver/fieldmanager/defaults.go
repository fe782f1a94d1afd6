package fieldmanager

import (
	"bytes"
	"encoding/json"
	"reflect"
)

// enforcedDefault is the default upstream's generator writes for a field
// without a +default marker: {} for a struct held by value, the zero value
// for a builtin that is always serialized, nothing otherwise (pointers,
// slices, maps, types that unmarshal themselves). Server-side apply uses
// defaults to key list items that omit a key field.
func enforcedDefault(t reflect.Type, omitEmpty bool) any {
	if t.Kind() == reflect.Struct && reflect.PointerTo(t).Implements(jsonUnmarshaler) {
		return nil
	}
	switch t.Kind() {
	case reflect.Struct:
		if t.NumField() == 1 && t.Field(0).Anonymous {
			return enforcedDefault(t.Field(0).Type, omitEmpty)
		}
		return map[string]any{}
	case reflect.String:
		if !omitEmpty {
			return ""
		}
	case reflect.Bool:
		if !omitEmpty {
			return false
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		if !omitEmpty {
			return int64(0)
		}
	}
	return nil
}

// decodeDefault reads a +default marker's JSON value; whole numbers
// become int64, as in upstream's generated definitions.
func decodeDefault(s string) (any, error) {
	d := json.NewDecoder(bytes.NewReader([]byte(s)))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	return numbers(v), nil
}

func numbers(v any) any {
	switch v := v.(type) {
	case json.Number:
		if i, err := v.Int64(); err == nil {
			return i
		}
		f, _ := v.Float64()
		return f
	case map[string]any:
		for k, e := range v {
			v[k] = numbers(e)
		}
	case []any:
		for i, e := range v {
			v[i] = numbers(e)
		}
	}
	return v
}
