package bootstrap

import (
	"context"
	"errors"
	"fmt"
	"reflect"

	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// bindingUpdate computes what an existing binding lacks of expected.
func bindingUpdate(existingMeta *metav1.ObjectMeta, existingSubjects []rbacv1.Subject, expectedMeta *metav1.ObjectMeta, expectedSubjects []rbacv1.Subject) (
	meta metav1.ObjectMeta, subjects, missing []rbacv1.Subject, changed bool) {
	meta = *existingMeta.DeepCopy()
	meta.Annotations = merge(expectedMeta.Annotations, existingMeta.Annotations)
	meta.Labels = merge(expectedMeta.Labels, existingMeta.Labels)
	changed = !reflect.DeepEqual(meta.Annotations, existingMeta.Annotations) || !reflect.DeepEqual(meta.Labels, existingMeta.Labels)
	for _, s := range expectedSubjects {
		found := false
		for _, have := range existingSubjects {
			if have == s {
				found = true
				break
			}
		}
		if !found {
			missing = append(missing, s)
		}
	}
	subjects = existingSubjects
	if len(missing) > 0 {
		subjects = append(append([]rbacv1.Subject{}, existingSubjects...), missing...)
		changed = true
	}
	return meta, subjects, missing, changed
}

func reconcileClusterRoleBinding(ctx context.Context, c BindingClient[*rbacv1.ClusterRoleBinding], expected *rbacv1.ClusterRoleBinding) (Result, error) {
	res := Result{Kind: "ClusterRoleBinding", Name: expected.Name}
	if c == nil {
		return res, errors.New("no client")
	}
	for attempt := 0; attempt < maxAttempts; attempt++ {
		existing, err := c.Get(ctx, "", expected.Name)
		if isNotFound(err) {
			res.Operation, res.MissingSubjects = OpCreate, expected.Subjects
			_, err := c.Create(ctx, expected.DeepCopy())
			if isAlreadyExists(err) {
				continue
			}
			return res, err
		}
		if err != nil {
			return res, err
		}
		res.Protected = protected(existing.Annotations)
		if existing.RoleRef != expected.RoleRef {
			res.Operation, res.MissingSubjects = OpRecreate, expected.Subjects
			if res.Protected {
				return res, nil
			}
			if err := c.Delete(ctx, "", existing.Name, existing.UID); err != nil && !isNotFound(err) {
				return res, err
			}
			if _, err := c.Create(ctx, expected.DeepCopy()); isAlreadyExists(err) {
				continue
			} else if err != nil {
				return res, err
			}
			return res, nil
		}
		want := existing.DeepCopy()
		var changed bool
		want.ObjectMeta, want.Subjects, res.MissingSubjects, changed = bindingUpdate(&existing.ObjectMeta, existing.Subjects, &expected.ObjectMeta, expected.Subjects)
		res.Operation = OpNone
		if !changed {
			return res, nil
		}
		res.Operation = OpUpdate
		if res.Protected {
			return res, nil
		}
		if _, err := c.Update(ctx, want); isNotFound(err) {
			continue
		} else if err != nil {
			return res, err
		}
		return res, nil
	}
	return res, fmt.Errorf("gave up after %d attempts", maxAttempts)
}

func reconcileRoleBinding(ctx context.Context, c Clients, expected *rbacv1.RoleBinding) (Result, error) {
	res := Result{Kind: "RoleBinding", Namespace: expected.Namespace, Name: expected.Name}
	if c.RoleBindings == nil {
		return res, errors.New("no client")
	}
	rbs := c.RoleBindings
	for attempt := 0; attempt < maxAttempts; attempt++ {
		existing, err := rbs.Get(ctx, expected.Namespace, expected.Name)
		if isNotFound(err) {
			res.Operation, res.MissingSubjects = OpCreate, expected.Subjects
			if err := ensureNamespace(ctx, c.Namespaces, expected.Namespace); err != nil {
				return res, err
			}
			_, err := rbs.Create(ctx, expected.DeepCopy())
			if isAlreadyExists(err) {
				continue
			}
			return res, err
		}
		if err != nil {
			return res, err
		}
		res.Protected = protected(existing.Annotations)
		if existing.RoleRef != expected.RoleRef {
			res.Operation, res.MissingSubjects = OpRecreate, expected.Subjects
			if res.Protected {
				return res, nil
			}
			if err := rbs.Delete(ctx, existing.Namespace, existing.Name, existing.UID); err != nil && !isNotFound(err) {
				return res, err
			}
			if _, err := rbs.Create(ctx, expected.DeepCopy()); isAlreadyExists(err) {
				continue
			} else if err != nil {
				return res, err
			}
			return res, nil
		}
		want := existing.DeepCopy()
		var changed bool
		want.ObjectMeta, want.Subjects, res.MissingSubjects, changed = bindingUpdate(&existing.ObjectMeta, existing.Subjects, &expected.ObjectMeta, expected.Subjects)
		res.Operation = OpNone
		if !changed {
			return res, nil
		}
		res.Operation = OpUpdate
		if res.Protected {
			return res, nil
		}
		if _, err := rbs.Update(ctx, want); isNotFound(err) {
			continue
		} else if err != nil {
			return res, err
		}
		return res, nil
	}
	return res, fmt.Errorf("gave up after %d attempts", maxAttempts)
}
