package storageclass

import (
	"context"
	"time"

	corev1 "k8s.io/api/core/v1"
	storagev1 "k8s.io/api/storage/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	apimachineryvalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

// The annotations that mark the default class, as upstream reads them.
const (
	defaultClassAnnotation     = "storageclass.kubernetes.io/is-default-class"
	betaDefaultClassAnnotation = "storageclass.beta.kubernetes.io/is-default-class"
)

func storageClassResource(now func() time.Time) *registry.Resource {
	return &registry.Resource{
		GVR:           storagev1.SchemeGroupVersion.WithResource("storageclasses"),
		Kind:          "StorageClass",
		SingularName:  "storageclass",
		ShortNames:    []string{"sc"},
		StoragePrefix: "storageclasses",
		New:           func() storage.Object { return &storagev1.StorageClass{} },
		NewList:       func() runtime.Object { return &storagev1.StorageClassList{} },
		Strategy:      strategy{},
		Table:         table(now),
		// As upstream, DELETE answers with the deleted class.
		ReturnDeletedObject: true,
	}
}

// strategy: provisioner, parameters, reclaim policy and binding mode are
// fixed once created.
type strategy struct{ registry.Plain }

// Default is upstream's SetDefaults_StorageClass.
func (strategy) Default(obj storage.Object) {
	sc := obj.(*storagev1.StorageClass)
	if sc.ReclaimPolicy == nil {
		p := corev1.PersistentVolumeReclaimDelete
		sc.ReclaimPolicy = &p
	}
	if sc.VolumeBindingMode == nil {
		m := storagev1.VolumeBindingImmediate
		sc.VolumeBindingMode = &m
	}
}

func (strategy) Validate(_ context.Context, obj storage.Object) field.ErrorList {
	return validateStorageClass(obj.(*storagev1.StorageClass))
}

// ValidateUpdate is upstream's ValidateStorageClassUpdate (plus the
// class's own validation, as its strategy runs both).
func (strategy) ValidateUpdate(_ context.Context, obj, old storage.Object) field.ErrorList {
	sc, o := obj.(*storagev1.StorageClass), old.(*storagev1.StorageClass)
	errs := validateStorageClass(sc)
	if !apiequality.Semantic.DeepEqual(o.Parameters, sc.Parameters) {
		errs = append(errs, field.Forbidden(field.NewPath("parameters"), "updates to parameters are forbidden."))
	}
	if sc.Provisioner != o.Provisioner {
		errs = append(errs, field.Forbidden(field.NewPath("provisioner"), "updates to provisioner are forbidden."))
	}
	if reclaimPolicy(sc) != reclaimPolicy(o) {
		errs = append(errs, field.Forbidden(field.NewPath("reclaimPolicy"), "updates to reclaimPolicy are forbidden."))
	}
	return append(errs, apimachineryvalidation.ValidateImmutableField(sc.VolumeBindingMode, o.VolumeBindingMode, field.NewPath("volumeBindingMode"))...)
}

func reclaimPolicy(sc *storagev1.StorageClass) corev1.PersistentVolumeReclaimPolicy {
	if sc.ReclaimPolicy == nil {
		return ""
	}
	return *sc.ReclaimPolicy
}

// isDefault says whether sc carries either default-class annotation set
// to "true".
func isDefault(sc *storagev1.StorageClass) bool {
	return sc.Annotations[defaultClassAnnotation] == "true" || sc.Annotations[betaDefaultClassAnnotation] == "true"
}

var columns = []metav1.TableColumnDefinition{
	registry.NameColumn,
	{Name: "Provisioner", Type: "string", Description: storagev1.StorageClass{}.SwaggerDoc()["provisioner"]},
	{Name: "ReclaimPolicy", Type: "string", Description: storagev1.StorageClass{}.SwaggerDoc()["reclaimPolicy"]},
	{Name: "VolumeBindingMode", Type: "string", Description: storagev1.StorageClass{}.SwaggerDoc()["volumeBindingMode"]},
	{Name: "AllowVolumeExpansion", Type: "string", Description: storagev1.StorageClass{}.SwaggerDoc()["allowVolumeExpansion"]},
	registry.AgeColumn,
}

func table(now func() time.Time) registry.TableFunc {
	return registry.Rows(columns, now, storageClassRow)
}

func storageClassRow(obj storage.Object, now time.Time) ([]any, error) {
	sc := obj.(*storagev1.StorageClass)
	name := sc.Name
	if isDefault(sc) {
		name += " (default)"
	}
	reclaim := string(corev1.PersistentVolumeReclaimDelete)
	if sc.ReclaimPolicy != nil {
		reclaim = string(*sc.ReclaimPolicy)
	}
	binding := string(storagev1.VolumeBindingImmediate)
	if sc.VolumeBindingMode != nil {
		binding = string(*sc.VolumeBindingMode)
	}
	expansion := sc.AllowVolumeExpansion != nil && *sc.AllowVolumeExpansion
	return []any{name, sc.Provisioner, reclaim, binding, expansion, registry.Age(sc.CreationTimestamp, now)}, nil
}
