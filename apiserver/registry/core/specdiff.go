package core

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	apiequality "k8s.io/apimachinery/pkg/api/equality"
)

// fieldDiff describes how two values of one struct type differ, one line
// per changed field ("- Field: old" / "+ Field: new"), for the detail of
// upstream's "is immutable after creation" errors (upstream prints a
// go-cmp diff there; this is its gist, not its exact text).
func fieldDiff(typeName string, old, new any) string {
	ov, nv := reflect.ValueOf(old), reflect.ValueOf(new)
	if ov.Kind() != reflect.Struct || nv.Kind() != reflect.Struct || ov.Type() != nv.Type() {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "  %s{\n", typeName)
	same := 0
	for i := 0; i < ov.NumField(); i++ {
		f := ov.Type().Field(i)
		if !f.IsExported() {
			continue
		}
		o, n := ov.Field(i).Interface(), nv.Field(i).Interface()
		if apiequality.Semantic.DeepEqual(o, n) {
			same++
			continue
		}
		fmt.Fprintf(&b, "- \t%s: %s,\n+ \t%s: %s,\n", f.Name, diffValue(o), f.Name, diffValue(n))
	}
	if same > 0 {
		fmt.Fprintf(&b, "  \t... // %d identical fields\n", same)
	}
	b.WriteString("  }\n")
	return b.String()
}

func diffValue(v any) string {
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%v", v)
	}
	return string(raw)
}
