//go:build ignore

// gen_markers writes markers_generated.go: the comment markers upstream's
// OpenAPI generator turns into schema extensions (+listType, +listMapKey,
// +mapType, +structType) and defaults (+default), read from the sources
// of every Go type the apiserver's scheme reaches. Reflection cannot see
// comments, so they are read here, once, from the module sources that
// `go list` finds.
//
// Run from this directory: go run gen_markers.go
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/skiff-dev/skiff/apiserver/scheme"
)

// marker is what the sources say about one field.
type marker struct {
	listType    string
	listMapKeys []string
	mapType     string
	def         string // JSON
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "gen_markers:", err)
		os.Exit(1)
	}
}

func run() error {
	types := reachable()
	pkgs := map[string]bool{}
	for _, t := range types {
		pkgs[t.PkgPath()] = true
	}
	dirs, err := packageDirs(pkgs)
	if err != nil {
		return err
	}
	typeMarkers := map[string]string{}
	fieldMarkers := map[string]marker{}
	for pkg, dir := range dirs {
		files, err := parsePackage(dir)
		if err != nil {
			return fmt.Errorf("package %s: %w", pkg, err)
		}
		consts := constants(files)
		for _, f := range files {
			for _, decl := range f.Decls {
				gd, ok := decl.(*ast.GenDecl)
				if !ok || gd.Tok != token.TYPE {
					continue
				}
				for _, spec := range gd.Specs {
					ts := spec.(*ast.TypeSpec)
					key := pkg + "." + ts.Name.Name
					if _, ok := types[key]; !ok {
						continue
					}
					st, ok := ts.Type.(*ast.StructType)
					if !ok {
						continue
					}
					doc := ts.Doc
					if doc == nil && len(gd.Specs) == 1 {
						doc = gd.Doc
					}
					tags := commentTags(doc)
					if v := first(tags["structType"]); v != "" {
						typeMarkers[key] = v
					}
					for _, field := range st.Fields.List {
						m, err := fieldMarker(commentTags(field.Doc), consts)
						if err != nil {
							return fmt.Errorf("%s: %w", key, err)
						}
						if m.listType == "" && len(m.listMapKeys) == 0 && m.mapType == "" && m.def == "" {
							continue
						}
						for _, name := range fieldNames(field) {
							fieldMarkers[key+"."+name] = m
						}
					}
				}
			}
		}
	}
	return write("markers_generated.go", typeMarkers, fieldMarkers)
}

// reachable returns the named struct types reachable from the scheme's
// kinds, by "<package>.<Name>".
func reachable() map[string]reflect.Type {
	out := map[string]reflect.Type{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		switch t.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Array:
			walk(t.Elem())
		case reflect.Map:
			walk(t.Key())
			walk(t.Elem())
		case reflect.Struct:
			if t.Name() == "" {
				return
			}
			key := t.PkgPath() + "." + t.Name()
			if _, ok := out[key]; ok {
				return
			}
			out[key] = t
			for i := 0; i < t.NumField(); i++ {
				walk(t.Field(i).Type)
			}
		}
	}
	for _, t := range scheme.New().AllKnownTypes() {
		walk(t)
	}
	return out
}

func packageDirs(pkgs map[string]bool) (map[string]string, error) {
	args := []string{"list", "-f", "{{.ImportPath}} {{.Dir}}"}
	for p := range pkgs {
		args = append(args, p)
	}
	out, err := exec.Command("go", args...).Output()
	if err != nil {
		return nil, fmt.Errorf("go list: %w", err)
	}
	dirs := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		path, dir, _ := strings.Cut(line, " ")
		dirs[path] = dir
	}
	return dirs, nil
}

func parsePackage(dir string) ([]*ast.File, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var files []*ast.File
	fset := token.NewFileSet()
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, dir+"/"+name, nil, parser.ParseComments)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	return files, nil
}

// constants maps the package's string constants to their values.
func constants(files []*ast.File) map[string]string {
	out := map[string]string{}
	for _, f := range files {
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, name := range vs.Names {
					if i >= len(vs.Values) {
						continue
					}
					if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
						if v, err := strconv.Unquote(lit.Value); err == nil {
							out[name.Name] = v
						}
					}
				}
			}
		}
	}
	return out
}

// commentTags reads "+name=value" lines, as upstream's generators do.
func commentTags(doc *ast.CommentGroup) map[string][]string {
	tags := map[string][]string{}
	if doc == nil {
		return tags
	}
	for _, line := range strings.Split(doc.Text(), "\n") {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "+") {
			continue
		}
		name, value, _ := strings.Cut(line[1:], "=")
		tags[name] = append(tags[name], value)
	}
	return tags
}

func first(values []string) string {
	if len(values) == 0 {
		return ""
	}
	return values[0]
}

func fieldMarker(tags map[string][]string, consts map[string]string) (marker, error) {
	m := marker{
		listType:    first(tags["listType"]),
		listMapKeys: tags["listMapKey"],
		mapType:     first(tags["mapType"]),
	}
	if v := first(tags["structType"]); v != "" {
		m.mapType = v
	}
	if d := first(tags["default"]); d != "" {
		if ref, ok := strings.CutPrefix(d, "ref("); ok {
			name := strings.TrimSuffix(ref, ")")
			v, ok := consts[name]
			if !ok {
				return m, fmt.Errorf("default ref(%s): no such string constant", name)
			}
			b, _ := json.Marshal(v)
			d = string(b)
		}
		if !json.Valid([]byte(d)) {
			return m, fmt.Errorf("default %s is not JSON", d)
		}
		m.def = d
	}
	return m, nil
}

// fieldNames are the Go names of a field declaration (the type's name
// for an embedded field).
func fieldNames(f *ast.Field) []string {
	if len(f.Names) > 0 {
		out := make([]string, len(f.Names))
		for i, n := range f.Names {
			out[i] = n.Name
		}
		return out
	}
	t := f.Type
	if star, ok := t.(*ast.StarExpr); ok {
		t = star.X
	}
	switch t := t.(type) {
	case *ast.Ident:
		return []string{t.Name}
	case *ast.SelectorExpr:
		return []string{t.Sel.Name}
	}
	return nil
}

func write(path string, typeMarkers map[string]string, fieldMarkers map[string]marker) error {
	var b bytes.Buffer
	b.WriteString("// Code generated by gen_markers.go; DO NOT EDIT.\n\n")
	b.WriteString("package fieldmanager\n\n")
	b.WriteString("// typeMarkers are the +structType markers of struct types, by \"<package>.<Type>\".\n")
	b.WriteString("var typeMarkers = map[string]string{\n")
	for _, k := range sortedKeys(typeMarkers) {
		fmt.Fprintf(&b, "\t%q: %q,\n", k, typeMarkers[k])
	}
	b.WriteString("}\n\n")
	b.WriteString("// fieldMarkers are the list, map and default markers of struct fields,\n")
	b.WriteString("// by \"<package>.<Type>.<GoField>\".\n")
	b.WriteString("var fieldMarkers = map[string]marker{\n")
	for _, k := range sortedKeys(fieldMarkers) {
		m := fieldMarkers[k]
		var parts []string
		if m.listType != "" {
			parts = append(parts, fmt.Sprintf("listType: %q", m.listType))
		}
		if len(m.listMapKeys) > 0 {
			parts = append(parts, fmt.Sprintf("listMapKeys: %#v", m.listMapKeys))
		}
		if m.mapType != "" {
			parts = append(parts, fmt.Sprintf("mapType: %q", m.mapType))
		}
		if m.def != "" {
			parts = append(parts, fmt.Sprintf("def: %q", m.def))
		}
		fmt.Fprintf(&b, "\t%q: {%s},\n", k, strings.Join(parts, ", "))
	}
	b.WriteString("}\n")
	src, err := format.Source(b.Bytes())
	if err != nil {
		return err
	}
	return os.WriteFile(path, src, 0o644)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
