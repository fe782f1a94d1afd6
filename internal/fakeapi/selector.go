package fakeapi

import (
	"encoding/json"
	"net/url"
	"strconv"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"
)

// filter selects the objects a list, watch or deletecollection is about.
type filter struct {
	namespace string // "" for all
	name      string // "" for all; a watch on a named object
	labels    labels.Selector
	fields    fields.Selector
}

// parseFilter reads labelSelector and fieldSelector from the query.
func parseFilter(q url.Values, namespace string) (*filter, error) {
	f := &filter{namespace: namespace, labels: labels.Everything(), fields: fields.Everything()}
	if s := q.Get("labelSelector"); s != "" {
		sel, err := labels.Parse(s)
		if err != nil {
			return nil, apierrors.NewBadRequest(err.Error())
		}
		f.labels = sel
	}
	if s := q.Get("fieldSelector"); s != "" {
		sel, err := fields.ParseSelector(s)
		if err != nil {
			return nil, apierrors.NewBadRequest(err.Error())
		}
		f.fields = sel
	}
	return f, nil
}

// selects says whether label or field selectors narrow the result.
func (f *filter) selects() bool { return !f.labels.Empty() || !f.fields.Empty() }

func (f *filter) matches(o *object) bool {
	if f.namespace != "" && o.namespace != f.namespace {
		return false
	}
	if f.name != "" && o.name != f.name {
		return false
	}
	if !f.labels.Empty() {
		u := unstructured.Unstructured{Object: o.data}
		if !f.labels.Matches(labels.Set(u.GetLabels())) {
			return false
		}
	}
	if f.fields.Empty() {
		return true
	}
	set := fields.Set{}
	for _, req := range f.fields.Requirements() {
		set[req.Field] = fieldValue(o, req.Field)
	}
	return f.fields.Matches(set)
}

// fieldValue reads a dotted field path of the object as a field selector
// compares it; a missing field reads as "", so spec.nodeName= selects pods
// without a node as upstream's field sets do.
func fieldValue(o *object, path string) string {
	switch path {
	case "metadata.name":
		return o.name
	case "metadata.namespace":
		return o.namespace
	}
	var cur any = o.data
	for _, part := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return ""
		}
		cur = m[part]
	}
	switch v := cur.(type) {
	case nil:
		return ""
	case string:
		return v
	case bool:
		return strconv.FormatBool(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	default:
		raw, _ := json.Marshal(v)
		return string(raw)
	}
}
