package bootstrap

import (
	"context"
	"errors"
	"fmt"
	"reflect"

	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

// rbacObject is a pointer to one of the four RBAC kinds.
type rbacObject[T any] interface {
	metav1.Object
	DeepCopy() T
}

// deleter deletes an object of one kind; uid is a precondition.
type deleter interface {
	Delete(ctx context.Context, namespace, name string, uid types.UID) error
}

// additions are what reconciling adds to an object: rules to a role,
// subjects to a binding.
type additions struct {
	rules    []rbacv1.PolicyRule
	subjects []rbacv1.Subject
}

// reconcileKind is what differs between the RBAC kinds when reconciling
// one object; reconcileObject does the rest.
type reconcileKind[T rbacObject[T]] struct {
	kind       string // "ClusterRole", "RoleBinding", …
	namespaced bool
	// content is what a new object brings: its rules or its subjects.
	content func(expected T) additions
	// merge adds to want (a copy of the existing object, labels and
	// annotations already merged) what it lacks of expected, and says
	// what it added and whether want now differs.
	merge func(want, expected T) (added additions, changed bool)
	// replace, when set, says existing cannot become expected by an
	// update (a binding's roleRef is immutable): it is deleted and
	// expected created instead.
	replace func(existing, expected T) bool
}

// namespace is obj's namespace for the kind's client: "" when the kind
// is cluster-scoped.
func (k reconcileKind[T]) namespace(obj T) string {
	if !k.namespaced {
		return ""
	}
	return obj.GetNamespace()
}

// reconcileObject makes expected exist through c: created when missing
// (its namespace ensured first), else its labels, annotations and what
// k.merge adds written by an update unless the existing object is
// annotated autoupdate "false"; replaced (deleted through del and created
// again) when k.replace says so. Races with other writers (AlreadyExists
// on create, NotFound on update) start over, up to maxAttempts times.
func reconcileObject[T rbacObject[T]](ctx context.Context, k reconcileKind[T], c Client[T], del deleter, namespaces NamespaceEnsurer, expected T) (Result, error) {
	namespace, name := k.namespace(expected), expected.GetName()
	res := Result{Kind: k.kind, Namespace: namespace, Name: name}
	if c == nil || (k.replace != nil && del == nil) {
		return res, errors.New("no client")
	}
	report := func(a additions) { res.MissingRules, res.MissingSubjects = a.rules, a.subjects }
	for attempt := 0; attempt < maxAttempts; attempt++ {
		existing, err := c.Get(ctx, namespace, name)
		if isNotFound(err) {
			res.Operation = OpCreate
			report(k.content(expected))
			if err := ensureNamespace(ctx, namespaces, namespace); err != nil {
				return res, err
			}
			_, err := c.Create(ctx, expected.DeepCopy())
			if isAlreadyExists(err) {
				continue // created meanwhile: reconcile it
			}
			return res, err
		}
		if err != nil {
			return res, err
		}
		res.Protected = protected(existing.GetAnnotations())
		if k.replace != nil && k.replace(existing, expected) {
			res.Operation = OpRecreate
			report(k.content(expected))
			if res.Protected {
				return res, nil
			}
			if err := del.Delete(ctx, k.namespace(existing), existing.GetName(), existing.GetUID()); err != nil && !isNotFound(err) {
				return res, err
			}
			if _, err := c.Create(ctx, expected.DeepCopy()); isAlreadyExists(err) {
				continue // created meanwhile: reconcile it
			} else if err != nil {
				return res, err
			}
			return res, nil
		}
		want := existing.DeepCopy()
		changed := mergeMeta(want, existing, expected)
		added, contentChanged := k.merge(want, expected)
		report(added)
		res.Operation = OpNone
		if !changed && !contentChanged {
			return res, nil
		}
		res.Operation = OpUpdate
		if res.Protected {
			return res, nil
		}
		if _, err := c.Update(ctx, want); isNotFound(err) {
			continue // deleted meanwhile: create it
		} else if err != nil {
			return res, err
		}
		return res, nil
	}
	return res, fmt.Errorf("gave up after %d attempts", maxAttempts)
}

// mergeMeta gives want (a copy of existing) the labels and annotations of
// expected that existing lacks (existing's own values win), and says
// whether that changed them.
func mergeMeta(want, existing, expected metav1.Object) bool {
	want.SetAnnotations(merge(expected.GetAnnotations(), existing.GetAnnotations()))
	want.SetLabels(merge(expected.GetLabels(), existing.GetLabels()))
	return !reflect.DeepEqual(want.GetAnnotations(), existing.GetAnnotations()) ||
		!reflect.DeepEqual(want.GetLabels(), existing.GetLabels())
}

func ensureNamespace(ctx context.Context, n NamespaceEnsurer, name string) error {
	if n == nil || name == "" {
		return nil
	}
	if err := n.EnsureNamespace(ctx, name); err != nil && !isAlreadyExists(err) {
		return fmt.Errorf("namespace %s: %w", name, err)
	}
	return nil
}
