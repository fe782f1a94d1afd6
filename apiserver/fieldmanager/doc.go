// Package fieldmanager tracks field ownership (metadata.managedFields) and
// serves server-side apply as upstream's kube-apiserver does, with
// apimachinery's managedfields package and structured-merge-diff.
//
// The schemas those need are built here by reflection from the served
// kinds' Go types, named as upstream's OpenAPI definitions, with the list
// types, map keys, atomic structs and maps and key defaults of the API
// types' comment markers (markers_generated.go, written by gen_markers.go
// from the k8s.io/api and apimachinery sources). Lists that carry only a
// patch merge key are associative by that key, as upstream.
//
//	m, err := fieldmanager.New(logger, scheme, []fieldmanager.Kind{{GVK: podGVK, Subresources: []string{"status"}}})
//	km := m.ForKind(podGVK, "")
//	obj, _ = km.Update(old, obj, fieldmanager.ManagerName(opts.FieldManager, r.UserAgent()))
//	obj, err = km.Apply(current, body, opts.FieldManager, force)
package fieldmanager
