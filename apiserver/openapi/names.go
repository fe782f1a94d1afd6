package openapi

import (
	"reflect"
	"strings"
)

// definitionName is upstream's name of a Go type's definition: the
// package path with its domain reversed, then the type name
// ("k8s.io/api/core/v1".Pod → "io.k8s.api.core.v1.Pod").
func definitionName(t reflect.Type) string {
	path := t.PkgPath()
	parts := strings.Split(path, "/")
	domain := strings.Split(parts[0], ".")
	for i, j := 0, len(domain)-1; i < j; i, j = i+1, j-1 {
		domain[i], domain[j] = domain[j], domain[i]
	}
	name := append(domain, parts[1:]...)
	return strings.Join(append(name, t.Name()), ".")
}

// groupCamel is a group's name in operation IDs: "" → "Core",
// "rbac.authorization.k8s.io" → "RbacAuthorization", "apps" → "Apps".
func groupCamel(group string) string {
	if group == "" {
		return "Core"
	}
	group = strings.TrimSuffix(group, ".k8s.io")
	var b strings.Builder
	for _, part := range strings.FieldsFunc(group, func(r rune) bool { return r == '.' || r == '-' }) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

// tag is a group version's operation tag: "core_v1", "rbacAuthorization_v1".
func tag(group, version string) string {
	g := groupCamel(group)
	return strings.ToLower(g[:1]) + g[1:] + "_" + version
}

// upperFirst capitalizes a subresource name for operation IDs ("status" → "Status").
func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
