package core

import (
	"context"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

func serviceAccountsResource(now func() time.Time) *registry.Resource {
	return &registry.Resource{
		GVR:           gvr("serviceaccounts"),
		Kind:          "ServiceAccount",
		SingularName:  "serviceaccount",
		Namespaced:    true,
		ShortNames:    []string{"sa"},
		StoragePrefix: "serviceaccounts",
		New:           func() storage.Object { return &corev1.ServiceAccount{} },
		NewList:       func() runtime.Object { return &corev1.ServiceAccountList{} },
		Strategy:      serviceAccountStrategy{},
		Table:         registry.Rows(serviceAccountColumns, now, serviceAccountRow),
	}
}

// serviceAccountStrategy: secret references keep only their names; the
// metadata is all there is to validate.
type serviceAccountStrategy struct{ registry.Plain }

// PrepareForCreate trims secret references to names.
func (serviceAccountStrategy) PrepareForCreate(_ context.Context, obj storage.Object) {
	if sa, ok := obj.(*corev1.ServiceAccount); ok {
		cleanSecretReferences(sa)
	}
}

// PrepareForUpdate trims secret references to names.
func (serviceAccountStrategy) PrepareForUpdate(_ context.Context, obj, _ storage.Object) {
	if sa, ok := obj.(*corev1.ServiceAccount); ok {
		cleanSecretReferences(sa)
	}
}

func cleanSecretReferences(sa *corev1.ServiceAccount) {
	for i, s := range sa.Secrets {
		sa.Secrets[i] = corev1.ObjectReference{Name: s.Name}
	}
}

var serviceAccountColumns = []metav1.TableColumnDefinition{
	registry.NameColumn,
	{Name: "Secrets", Type: "string", Description: corev1.ServiceAccount{}.SwaggerDoc()["secrets"]},
	registry.AgeColumn,
}

func serviceAccountRow(obj storage.Object, now time.Time) ([]any, error) {
	sa, ok := obj.(*corev1.ServiceAccount)
	if !ok {
		return nil, unexpectedType(obj)
	}
	return []any{sa.Name, int64(len(sa.Secrets)), age(obj, now)}, nil
}
