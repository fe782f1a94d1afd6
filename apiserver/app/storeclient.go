package app

import (
	"context"
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

// storeClient writes through a registry store as the server's own client
// (bootstrap objects), with the store's defaults and validation.
type storeClient[T storage.Object] struct{ s *registry.Store }

func (c storeClient[T]) Get(ctx context.Context, namespace, name string) (T, error) {
	var zero T
	obj, err := c.s.Get(ctx, namespace, name)
	if err != nil {
		return zero, err
	}
	return typed[T](obj)
}

func (c storeClient[T]) Create(ctx context.Context, obj T) (T, error) {
	var zero T
	c.s.Resource().Strategy.Default(obj)
	out, err := c.s.Create(ctx, obj.GetNamespace(), obj, registry.WriteOptions{})
	if err != nil {
		return zero, err
	}
	return typed[T](out)
}

func (c storeClient[T]) Update(ctx context.Context, obj T) (T, error) {
	var zero T
	c.s.Resource().Strategy.Default(obj)
	out, _, err := c.s.Update(ctx, obj.GetNamespace(), obj.GetName(), "", func(context.Context, storage.Object) (storage.Object, error) {
		return obj.DeepCopyObject().(storage.Object), nil
	}, registry.WriteOptions{})
	if err != nil {
		return zero, err
	}
	return typed[T](out)
}

func (c storeClient[T]) Delete(ctx context.Context, namespace, name string, uid types.UID) error {
	_, err := c.s.Delete(ctx, namespace, name, &metav1.DeleteOptions{Preconditions: &metav1.Preconditions{UID: &uid}}, registry.WriteOptions{})
	return err
}

func typed[T storage.Object](obj storage.Object) (T, error) {
	t, ok := obj.(T)
	if !ok {
		var zero T
		return zero, fmt.Errorf("unexpected type %T", obj)
	}
	return t, nil
}
