package informer

import (
	"context"
	"fmt"

	"go.uber.org/zap"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// listAll lists the collection in pages of pageSize. Every list is a
// consistent read (resourceVersion unset): the pages of one list all come
// from the same snapshot. If a continue token expires between pages (410),
// the list starts over in a single request.
func (r *Reflector) listAll(ctx context.Context) ([]Object, string, error) {
	opts := metav1.ListOptions{Limit: r.pageSize}
	var items []Object
	for {
		page, lm, err := r.lw.List(ctx, opts)
		if err != nil && opts.Continue != "" && isExpired(err) {
			r.logger.Info("continue token expired; listing in one request", zap.Error(err))
			page, lm, err = r.lw.List(ctx, metav1.ListOptions{})
			if err != nil {
				return nil, "", fmt.Errorf("list %s: %w", r.expected.name, err)
			}
			return r.keepExpected(page), lm.ResourceVersion, nil
		}
		if err != nil {
			return nil, "", fmt.Errorf("list %s (continue %q): %w", r.expected.name, opts.Continue, err)
		}
		items = append(items, r.keepExpected(page)...)
		if lm.Continue == "" {
			return items, lm.ResourceVersion, nil
		}
		opts.Continue = lm.Continue
	}
}

// keepExpected drops, with a log line, objects of the wrong type.
func (r *Reflector) keepExpected(page []Object) []Object {
	out := page[:0:0]
	for _, obj := range page {
		if err := r.expected.check(obj); err != nil {
			r.logger.Error("list returned an object of the wrong type", zap.Error(err))
			continue
		}
		out = append(out, obj)
	}
	return out
}
