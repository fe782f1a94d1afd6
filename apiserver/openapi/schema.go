package openapi

// schema is one JSON schema of a definition or a property, rendered into
// either OpenAPI version.
type schema struct {
	ref         string // definition name; the schema is then a reference
	typ, format string
	description string
	def         any // default value; nil for none
	items       *schema
	additional  *schema // additionalProperties
	properties  map[string]*schema
	required    []string
	// oneOfTypes replaces typ in OpenAPI v3 (Quantity, IntOrString).
	oneOfTypes []string
	ext        map[string]any
}

func (s *schema) setExt(key string, value any) {
	if s.ext == nil {
		s.ext = map[string]any{}
	}
	s.ext[key] = value
}

// refPrefix is where each version keeps definitions.
func refPrefix(v3 bool) string {
	if v3 {
		return "#/components/schemas/"
	}
	return "#/definitions/"
}

// render turns s into its JSON form. A reference with siblings
// (description, default) is written as v2 writes it, beside the $ref, and
// as v3 needs it, wrapped in allOf.
func (s *schema) render(v3 bool) map[string]any {
	out := map[string]any{}
	if s.description != "" {
		out["description"] = s.description
	}
	if s.def != nil {
		out["default"] = s.def
	}
	for k, v := range s.ext {
		out[k] = v
	}
	if s.ref != "" {
		ref := refPrefix(v3) + s.ref
		if len(out) > 0 && v3 {
			out["allOf"] = []any{map[string]any{"$ref": ref}}
		} else {
			out["$ref"] = ref
		}
		return out
	}
	if v3 && len(s.oneOfTypes) > 0 {
		var alternatives []any
		for _, t := range s.oneOfTypes {
			alternatives = append(alternatives, map[string]any{"type": t})
		}
		out["oneOf"] = alternatives
	} else if s.typ != "" {
		out["type"] = s.typ
	}
	if s.format != "" {
		out["format"] = s.format
	}
	if s.items != nil {
		out["items"] = s.items.render(v3)
	}
	if s.additional != nil {
		out["additionalProperties"] = s.additional.render(v3)
	}
	if len(s.properties) > 0 {
		props := map[string]any{}
		for name, p := range s.properties {
			props[name] = p.render(v3)
		}
		out["properties"] = props
	}
	if len(s.required) > 0 {
		out["required"] = s.required
	}
	return out
}

// refs calls fn with every definition s refers to, directly or through
// its items, values and properties.
func (s *schema) refs(fn func(string)) {
	if s == nil {
		return
	}
	if s.ref != "" {
		fn(s.ref)
	}
	s.items.refs(fn)
	s.additional.refs(fn)
	for _, p := range s.properties {
		p.refs(fn)
	}
}
