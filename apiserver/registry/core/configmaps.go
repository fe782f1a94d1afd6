package core

import (
	"context"
	"reflect"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

// maxDataSize is the most data a configmap or secret may hold (1 MiB).
const maxDataSize = 1 * 1024 * 1024

// immutableMessage is upstream's detail for changes to immutable data.
const immutableMessage = "field is immutable when `immutable` is set"

func configMapsResource(now func() time.Time) *registry.Resource {
	return &registry.Resource{
		GVR:           gvr("configmaps"),
		Kind:          "ConfigMap",
		SingularName:  "configmap",
		Namespaced:    true,
		ShortNames:    []string{"cm"},
		StoragePrefix: "configmaps",
		New:           func() storage.Object { return &corev1.ConfigMap{} },
		NewList:       func() runtime.Object { return &corev1.ConfigMapList{} },
		Strategy:      configMapStrategy{},
		Table:         registry.Rows(configMapColumns, now, configMapRow),
	}
}

// configMapStrategy: keys valid and not in both data and binaryData, at
// most 1 MiB, and nothing changes once immutable.
type configMapStrategy struct{ registry.Plain }

// Validate checks keys and size.
func (configMapStrategy) Validate(_ context.Context, obj storage.Object) field.ErrorList {
	cm, ok := obj.(*corev1.ConfigMap)
	if !ok {
		return wrongType(obj)
	}
	return validateConfigMap(cm)
}

func validateConfigMap(cm *corev1.ConfigMap) field.ErrorList {
	var errs field.ErrorList
	total := 0
	for key, value := range cm.Data {
		p := field.NewPath("data").Key(key)
		for _, msg := range validation.IsConfigMapKey(key) {
			errs = append(errs, field.Invalid(p, key, msg))
		}
		if _, dup := cm.BinaryData[key]; dup {
			errs = append(errs, field.Invalid(p, key, "duplicate of key present in binaryData"))
		}
		total += len(value)
	}
	for key, value := range cm.BinaryData {
		for _, msg := range validation.IsConfigMapKey(key) {
			errs = append(errs, field.Invalid(field.NewPath("binaryData").Key(key), key, msg))
		}
		total += len(value)
	}
	if total > maxDataSize {
		// The empty path: the error is about the whole object.
		errs = append(errs, field.TooLong(field.NewPath(""), "", maxDataSize))
	}
	return errs
}

// ValidateUpdate refuses changes to an immutable configmap's data.
func (configMapStrategy) ValidateUpdate(_ context.Context, obj, old storage.Object) field.ErrorList {
	cm, ok1 := obj.(*corev1.ConfigMap)
	oldCM, ok2 := old.(*corev1.ConfigMap)
	if !ok1 || !ok2 {
		return wrongType(obj, old)
	}
	var errs field.ErrorList
	if isTrue(oldCM.Immutable) {
		if !isTrue(cm.Immutable) {
			errs = append(errs, field.Forbidden(field.NewPath("immutable"), immutableMessage))
		}
		if !reflect.DeepEqual(cm.Data, oldCM.Data) {
			errs = append(errs, field.Forbidden(field.NewPath("data"), immutableMessage))
		}
		if !reflect.DeepEqual(cm.BinaryData, oldCM.BinaryData) {
			errs = append(errs, field.Forbidden(field.NewPath("binaryData"), immutableMessage))
		}
	}
	return append(errs, validateConfigMap(cm)...)
}

func isTrue(b *bool) bool { return b != nil && *b }

var configMapColumns = []metav1.TableColumnDefinition{
	registry.NameColumn,
	{Name: "Data", Type: "string", Description: corev1.ConfigMap{}.SwaggerDoc()["data"]},
	registry.AgeColumn,
}

func configMapRow(obj storage.Object, now time.Time) ([]any, error) {
	cm, ok := obj.(*corev1.ConfigMap)
	if !ok {
		return nil, unexpectedType(obj)
	}
	return []any{cm.Name, int64(len(cm.Data) + len(cm.BinaryData)), age(obj, now)}, nil
}
