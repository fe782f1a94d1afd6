package bootstrap

import (
	"context"
	"errors"
	"fmt"

	"github.com/skiff-dev/skiff/apiserver/authorization"
	"github.com/skiff-dev/skiff/apiserver/storage"
	"go.uber.org/zap"
	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/types"
)

// Client reads and writes one RBAC kind (namespace "" for the cluster-scoped
// ones). Errors for a missing or already existing object must satisfy
// apierrors.IsNotFound / IsAlreadyExists or wrap storage.ErrNotFound /
// ErrAlreadyExists.
type Client[T any] interface {
	Get(ctx context.Context, namespace, name string) (T, error)
	Create(ctx context.Context, obj T) (T, error)
	Update(ctx context.Context, obj T) (T, error)
}

// BindingClient can also delete, to replace a binding whose roleRef
// differs (a roleRef cannot be updated). uid is a precondition.
type BindingClient[T any] interface {
	Client[T]
	Delete(ctx context.Context, namespace, name string, uid types.UID) error
}

// NamespaceEnsurer creates a namespace unless it exists.
type NamespaceEnsurer interface {
	EnsureNamespace(ctx context.Context, name string) error
}

// Clients are what Reconcile writes through. Namespaces may be nil when
// kube-system and kube-public are known to exist.
type Clients struct {
	ClusterRoles        Client[*rbacv1.ClusterRole]
	ClusterRoleBindings BindingClient[*rbacv1.ClusterRoleBinding]
	Roles               Client[*rbacv1.Role]
	RoleBindings        BindingClient[*rbacv1.RoleBinding]
	Namespaces          NamespaceEnsurer
}

// Operation is what reconciling one object did.
type Operation string

const (
	OpNone     Operation = "none"
	OpCreate   Operation = "create"
	OpUpdate   Operation = "update"
	OpRecreate Operation = "recreate"
)

// Result is the outcome for one object.
type Result struct {
	Kind, Namespace, Name string
	Operation             Operation
	// Protected: the object is annotated autoupdate "false", so what it
	// lacks was not added.
	Protected       bool
	MissingRules    []rbacv1.PolicyRule
	MissingSubjects []rbacv1.Subject
}

const maxAttempts = 3

// Reconcile makes the default policy exist, as upstream's post-start hook
// does: each missing object is created; an existing one not annotated
// autoupdate "false" gains what it lacks (rules, aggregation selectors,
// subjects, labels, annotations) and keeps what it has; a binding whose
// roleRef differs is replaced. It goes through every object and returns
// the results and the errors met; the caller retries until there are none.
func Reconcile(ctx context.Context, logger *zap.Logger, c Clients) ([]Result, error) {
	if logger == nil {
		logger = zap.NewNop()
	}
	var results []Result
	var errs []error
	record := func(r Result, err error) {
		if err != nil {
			errs = append(errs, fmt.Errorf("reconcile %s %s: %w", r.Kind, key(r.Namespace, r.Name), err))
			return
		}
		results = append(results, r)
		logResult(logger, r)
	}
	for _, cr := range ClusterRoles() {
		record(reconcileObject(ctx, clusterRoles, c.ClusterRoles, nil, c.Namespaces, &cr))
	}
	for _, b := range ClusterRoleBindings() {
		record(reconcileObject(ctx, clusterRoleBindings, c.ClusterRoleBindings, c.ClusterRoleBindings, c.Namespaces, &b))
	}
	for _, r := range Roles() {
		record(reconcileObject(ctx, roles, c.Roles, nil, c.Namespaces, &r))
	}
	for _, b := range RoleBindings() {
		record(reconcileObject(ctx, roleBindings, c.RoleBindings, c.RoleBindings, c.Namespaces, &b))
	}
	return results, authorization.JoinErrors(errs)
}

func logResult(logger *zap.Logger, r Result) {
	k := key(r.Namespace, r.Name)
	switch {
	case r.Protected && r.Operation != OpNone:
		logger.Warn("skipped reconcile-protected RBAC object with missing permissions",
			zap.String("kind", r.Kind), zap.String("name", k), zap.Int("missingRules", len(r.MissingRules)),
			zap.Int("missingSubjects", len(r.MissingSubjects)))
	case r.Operation == OpCreate:
		logger.Info("created RBAC object", zap.String("kind", r.Kind), zap.String("name", k))
	case r.Operation == OpUpdate || r.Operation == OpRecreate:
		logger.Info("updated RBAC object", zap.String("kind", r.Kind), zap.String("name", k),
			zap.String("operation", string(r.Operation)), zap.Int("addedRules", len(r.MissingRules)),
			zap.Int("addedSubjects", len(r.MissingSubjects)))
	}
}

func key(namespace, name string) string {
	if namespace == "" {
		return name
	}
	return namespace + "/" + name
}

func isNotFound(err error) bool {
	return apierrors.IsNotFound(err) || errors.Is(err, storage.ErrNotFound)
}

func isAlreadyExists(err error) bool {
	return apierrors.IsAlreadyExists(err) || errors.Is(err, storage.ErrAlreadyExists)
}

// merge returns base with the entries of over on top; nil when both are.
func merge(base, over map[string]string) map[string]string {
	if base == nil && over == nil {
		return nil
	}
	out := map[string]string{}
	for k, v := range base {
		out[k] = v
	}
	for k, v := range over {
		out[k] = v
	}
	return out
}

func protected(annotations map[string]string) bool {
	return annotations[AutoUpdateAnnotation] == "false"
}
