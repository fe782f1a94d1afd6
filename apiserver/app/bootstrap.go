package app

import (
	"context"
	"errors"
	"time"

	"go.uber.org/zap"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	schedulingv1 "k8s.io/api/scheduling/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"

	rbacbootstrap "github.com/skiff-dev/skiff/apiserver/authorization/bootstrap"
	"github.com/skiff-dev/skiff/apiserver/registry/scheduling"
)

const retryInterval = time.Second

// systemNamespaces are created at start when missing, as upstream does.
var systemNamespaces = []string{"default", "kube-system", "kube-public", "kube-node-lease"}

// bootstrap creates what a cluster needs from its first second — the
// system namespaces, the two system priority classes, the default RBAC
// policy — retrying each step until it succeeds.
func (s *server) bootstrap(ctx context.Context, objs *objects) error {
	steps := []struct {
		name string
		run  func(context.Context) error
	}{
		{"system namespaces", func(ctx context.Context) error { return s.ensureNamespaces(ctx, objs) }},
		{"system priority classes", func(ctx context.Context) error { return s.ensurePriorityClasses(ctx, objs) }},
		{"default RBAC policy", func(ctx context.Context) error { return s.reconcileRBAC(ctx, objs) }},
		{"kubernetes service", func(ctx context.Context) error { return s.ensureKubernetesService(ctx, objs, s.securePort) }},
	}
	for _, step := range steps {
		err := wait.PollUntilContextCancel(ctx, retryInterval, true, func(ctx context.Context) (bool, error) {
			if err := step.run(ctx); err != nil {
				s.logger.Warn("bootstrap step failed; retrying", zap.String("step", step.name), zap.Error(err))
				return false, nil
			}
			return true, nil
		})
		if err != nil {
			return err
		}
		s.logger.Info("bootstrap step done", zap.String("step", step.name))
	}
	return nil
}

func (s *server) ensureNamespaces(ctx context.Context, objs *objects) error {
	c := storeClient[*corev1.Namespace]{s: objs.stores["namespaces"]}
	var errs []error
	for _, name := range systemNamespaces {
		if _, err := c.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}); err != nil && !apierrors.IsAlreadyExists(err) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func (s *server) ensurePriorityClasses(ctx context.Context, objs *objects) error {
	c := storeClient[*schedulingv1.PriorityClass]{s: objs.stores["priorityclasses.scheduling.k8s.io"]}
	var errs []error
	for _, pc := range scheduling.SystemPriorityClasses() {
		if _, err := c.Create(ctx, pc); err != nil && !apierrors.IsAlreadyExists(err) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func (s *server) reconcileRBAC(ctx context.Context, objs *objects) error {
	_, err := rbacbootstrap.Reconcile(ctx, s.logger.Named("rbac-bootstrap"), rbacbootstrap.Clients{
		ClusterRoles:        storeClient[*rbacv1.ClusterRole]{s: objs.stores["clusterroles.rbac.authorization.k8s.io"]},
		ClusterRoleBindings: storeClient[*rbacv1.ClusterRoleBinding]{s: objs.stores["clusterrolebindings.rbac.authorization.k8s.io"]},
		Roles:               storeClient[*rbacv1.Role]{s: objs.stores["roles.rbac.authorization.k8s.io"]},
		RoleBindings:        storeClient[*rbacv1.RoleBinding]{s: objs.stores["rolebindings.rbac.authorization.k8s.io"]},
	})
	return err
}
