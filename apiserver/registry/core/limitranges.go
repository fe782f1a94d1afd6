package core

import (
	"context"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/uuid"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

func limitRangesResource() *registry.Resource {
	return &registry.Resource{
		GVR:                 gvr("limitranges"),
		Kind:                "LimitRange",
		SingularName:        "limitrange",
		Namespaced:          true,
		ShortNames:          []string{"limits"},
		StoragePrefix:       "limitranges",
		New:                 func() storage.Object { return &corev1.LimitRange{} },
		NewList:             func() runtime.Object { return &corev1.LimitRangeList{} },
		Strategy:            limitRangeStrategy{},
		Table:               registry.Rows(limitRangeColumns, time.Now, limitRangeRow),
		AllowCreateOnUpdate: true,
	}
}

// limitRangeStrategy: container limits default from max, default and min;
// a nameless limit range gets a UUID for a name, as upstream.
type limitRangeStrategy struct{ registry.Plain }

// Default fills container defaults: the default limit from max, the
// default request from the default limit, then from min.
func (limitRangeStrategy) Default(obj storage.Object) {
	lr, ok := obj.(*corev1.LimitRange)
	if !ok {
		return
	}
	for i := range lr.Spec.Limits {
		item := &lr.Spec.Limits[i]
		if item.Type != corev1.LimitTypeContainer {
			continue
		}
		if item.Default == nil {
			item.Default = corev1.ResourceList{}
		}
		if item.DefaultRequest == nil {
			item.DefaultRequest = corev1.ResourceList{}
		}
		fillMissing(item.Default, item.Max)
		fillMissing(item.DefaultRequest, item.Default)
		fillMissing(item.DefaultRequest, item.Min)
	}
}

// fillMissing copies into dst the quantities of src it lacks.
func fillMissing(dst, src corev1.ResourceList) {
	for k, v := range src {
		if _, ok := dst[k]; !ok {
			dst[k] = v.DeepCopy()
		}
	}
}

// PrepareForCreate names a nameless limit range.
func (limitRangeStrategy) PrepareForCreate(_ context.Context, obj storage.Object) {
	if obj.GetName() == "" && obj.GetGenerateName() == "" {
		obj.SetName(string(uuid.NewUUID()))
	}
}

// Validate checks the limits.
func (limitRangeStrategy) Validate(_ context.Context, obj storage.Object) field.ErrorList {
	lr, ok := obj.(*corev1.LimitRange)
	if !ok {
		return wrongType(obj)
	}
	return validateLimitRange(lr)
}

// ValidateUpdate checks the limits as on create.
func (s limitRangeStrategy) ValidateUpdate(ctx context.Context, obj, _ storage.Object) field.ErrorList {
	return s.Validate(ctx, obj)
}

// limitRangeColumns are upstream's default table's: NAME and CREATED AT.
var limitRangeColumns = []metav1.TableColumnDefinition{
	registry.NameColumn,
	registry.CreatedAtColumn,
}

func limitRangeRow(obj storage.Object, _ time.Time) ([]any, error) {
	return []any{obj.GetName(), obj.GetCreationTimestamp().UTC().Format(time.RFC3339)}, nil
}
