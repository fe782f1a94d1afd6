package registry

import (
	"context"
	"fmt"
	"slices"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/skiff-dev/skiff/apiserver/storage"
)

// List answers a list in namespace ("" for all, or cluster-scoped kinds),
// with upstream's resourceVersion semantics: "" reads etcd at its latest
// revision (limit and continue paginate there); "0" is served by the watch
// cache, whatever limit says; any other version, unless resourceVersionMatch
// is Exact, by the watch cache once it has reached that version.
func (s *Store) List(ctx context.Context, namespace string, opts metav1.ListOptions) (runtime.Object, error) {
	pred, err := s.Predicate(opts.LabelSelector, opts.FieldSelector)
	if err != nil {
		return nil, err
	}
	rv, err := parseResourceVersion(opts.ResourceVersion)
	if err != nil {
		return nil, err
	}
	if err := checkResourceVersionMatch(opts); err != nil {
		return nil, err
	}
	var items []storage.Object
	var listRV int64
	var cont string
	var remaining *int64
	if s.servedFromCache(opts) {
		items, listRV, err = s.cache.List(ctx, rv, s.cachePrefix(namespace), pred)
		if err != nil {
			return nil, s.apiError(err, "")
		}
	} else {
		// etcd reads at the latest revision unless an exact one is asked
		// for; the latest is never older than what was asked.
		at := int64(0)
		if opts.ResourceVersionMatch == metav1.ResourceVersionMatchExact {
			at = rv
		}
		res, err := s.storage.List(ctx, s.storage.Prefix(s.scopeNamespace(namespace)), storage.ListOptions{
			ResourceVersion: at, Limit: opts.Limit, Continue: opts.Continue, Predicate: pred,
		})
		if err != nil {
			return nil, s.apiError(err, "")
		}
		items, listRV, cont, remaining = res.Items, res.ResourceVersion, res.Continue, res.RemainingItemCount
	}
	return s.buildList(items, listRV, cont, remaining)
}

func (s *Store) servedFromCache(opts metav1.ListOptions) bool {
	if s.cache == nil || !s.cache.Ready() || opts.Continue != "" {
		return false
	}
	switch {
	case opts.ResourceVersion == "0":
		return true
	case opts.ResourceVersion == "":
		return false
	case opts.ResourceVersionMatch == metav1.ResourceVersionMatchExact:
		return false
	default:
		return opts.Limit == 0
	}
}

func checkResourceVersionMatch(opts metav1.ListOptions) error {
	switch opts.ResourceVersionMatch {
	case "":
	case metav1.ResourceVersionMatchExact, metav1.ResourceVersionMatchNotOlderThan:
		if opts.ResourceVersion == "" {
			return apierrors.NewBadRequest("resourceVersionMatch is forbidden unless resourceVersion is provided")
		}
		if opts.ResourceVersionMatch == metav1.ResourceVersionMatchExact && opts.ResourceVersion == "0" {
			return apierrors.NewBadRequest("resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\"")
		}
	default:
		return apierrors.NewBadRequest(fmt.Sprintf("unsupported resourceVersionMatch %q", opts.ResourceVersionMatch))
	}
	if opts.Continue != "" && opts.ResourceVersion != "" && opts.ResourceVersion != "0" {
		return apierrors.NewBadRequest("specifying resource version is not allowed when using continue")
	}
	return nil
}

func (s *Store) scopeNamespace(namespace string) string {
	if !s.res.Namespaced {
		return ""
	}
	return namespace
}

// cachePrefix is the watch cache's key prefix for a namespace.
func (s *Store) cachePrefix(namespace string) string {
	if ns := s.scopeNamespace(namespace); ns != "" {
		return ns + "/"
	}
	return ""
}

// Predicate parses label and field selectors; fields must be ones the kind
// can be selected by.
func (s *Store) Predicate(labelSelector, fieldSelector string) (storage.Predicate, error) {
	pred := storage.Predicate{GetAttrs: s.attrs()}
	if labelSelector != "" {
		sel, err := labels.Parse(labelSelector)
		if err != nil {
			return pred, apierrors.NewBadRequest(fmt.Sprintf("unable to parse requirement: %v", err))
		}
		pred.Label = sel
	}
	if fieldSelector != "" {
		sel, err := fields.ParseSelector(fieldSelector)
		if err != nil {
			return pred, apierrors.NewBadRequest(err.Error())
		}
		for _, r := range sel.Requirements() {
			if !s.selectable(r.Field) {
				return pred, apierrors.NewBadRequest(fmt.Sprintf("field label not supported: %s", r.Field))
			}
		}
		pred.Field = sel
	}
	return pred, nil
}

func (s *Store) selectable(field string) bool {
	if field == "metadata.name" || (field == "metadata.namespace" && s.res.Namespaced) {
		return true
	}
	return slices.Contains(s.res.SelectableFields, field)
}

func (s *Store) buildList(items []storage.Object, rv int64, cont string, remaining *int64) (runtime.Object, error) {
	list, err := s.newList()
	if err != nil {
		return nil, internalError("%v", err)
	}
	objs := make([]runtime.Object, len(items))
	for i, it := range items {
		objs[i] = it
	}
	if err := meta.SetList(list, objs); err != nil {
		return nil, internalError("%s list: %v", s.res.GVR.Resource, err)
	}
	lm, err := meta.ListAccessor(list)
	if err != nil {
		return nil, internalError("%s list: %v", s.res.GVR.Resource, err)
	}
	// The list is this request's own: stamp its kind here so the encoder
	// need not copy it to add one.
	list.GetObjectKind().SetGroupVersionKind(s.res.GVR.GroupVersion().WithKind(s.res.Kind + "List"))
	lm.SetResourceVersion(fmt.Sprint(rv))
	lm.SetContinue(cont)
	lm.SetRemainingItemCount(remaining)
	return list, nil
}
