package app

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"os"

	"go.uber.org/zap"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"

	"github.com/skiff-dev/skiff/apiserver/authentication"
	"github.com/skiff-dev/skiff/apiserver/authorization"
	"github.com/skiff-dev/skiff/apiserver/authorization/rbac"
	"github.com/skiff-dev/skiff/apiserver/registry"
)

// newAuthenticator builds the authentication chain the flags ask for.
func newAuthenticator(logger *zap.Logger, o *Options, objs *objects, m *authentication.Metrics) (authentication.Authenticator, []string, error) {
	cfg := authentication.Config{Anonymous: o.AnonymousAuth, APIAudiences: o.APIAudiences, Metrics: m}
	if o.ClientCAFile != "" {
		pem, err := os.ReadFile(o.ClientCAFile)
		if err != nil {
			return nil, nil, fmt.Errorf("--client-ca-file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, nil, errors.New("--client-ca-file: no certificate found")
		}
		cfg.ClientCA = pool
	}
	if o.TokenAuthFile != "" {
		tokens, err := authentication.LoadTokenFile(logger, o.TokenAuthFile)
		if err != nil {
			return nil, nil, fmt.Errorf("--token-auth-file: %w", err)
		}
		cfg.TokenFile = tokens
	}
	if len(o.ServiceAccountKeyFiles) > 0 || o.ServiceAccountSigningKeyFile != "" {
		files := o.ServiceAccountKeyFiles
		if len(files) == 0 {
			files = []string{o.ServiceAccountSigningKeyFile}
		}
		keys, err := authentication.LoadPublicKeys(files...)
		if err != nil {
			return nil, nil, fmt.Errorf("--service-account-key-file: %w", err)
		}
		sa, err := authentication.NewServiceAccountTokens(logger, authentication.ServiceAccountTokenOptions{
			Keys: keys, Issuers: o.ServiceAccountIssuers, APIAudiences: o.APIAudiences, Legacy: true, Lookup: true,
			Getters: authentication.ObjectGetters{ServiceAccounts: objs, Pods: objs, Secrets: objs, Nodes: objs},
			Metrics: m,
		})
		if err != nil {
			return nil, nil, err
		}
		cfg.ServiceAccounts = sa
	}
	audiences := o.APIAudiences
	if len(audiences) == 0 {
		audiences = o.ServiceAccountIssuers
	}
	return authentication.New(cfg), audiences, nil
}

// newAuthorizer builds the --authorization-mode chain.
func newAuthorizer(logger *zap.Logger, o *Options, objs *objects) (authorization.Authorizer, error) {
	impl := map[string]authorization.Authorizer{
		"RBAC": rbac.New(logger, rbac.Source{Roles: objs, RoleBindings: objs, ClusterRoles: objs, ClusterRoleBindings: objs}),
	}
	return authorization.Chain(o.AuthorizationModes, impl)
}

// objects reads the objects authentication, authorization and admission
// look up, from the registry's stores.
type objects struct {
	stores map[string]*registry.Store // by "resource.group"
}

func newObjects(stores []*registry.Store) *objects {
	o := &objects{stores: map[string]*registry.Store{}}
	for _, s := range stores {
		o.stores[s.Resource().GroupResource().String()] = s
	}
	return o
}

// get reads one object from the store's watch cache (etcd until the cache
// is ready): these lookups run on every request.
func get[T any](ctx context.Context, o *objects, gr, namespace, name string) (*T, error) {
	s, ok := o.stores[gr]
	if !ok {
		return nil, fmt.Errorf("no store for %s", gr)
	}
	obj, err := s.CachedGet(ctx, namespace, name)
	if err != nil {
		return nil, err
	}
	t, ok := any(obj).(*T)
	if !ok {
		return nil, fmt.Errorf("%s %s/%s: unexpected type %T", gr, namespace, name, obj)
	}
	return t, nil
}

// liveGet reads one object from etcd, for lookups that must see a write
// made a moment ago (a namespace, a service account, a token's pod).
func liveGet[T any](ctx context.Context, o *objects, gr, namespace, name string) (*T, error) {
	s, ok := o.stores[gr]
	if !ok {
		return nil, fmt.Errorf("no store for %s", gr)
	}
	return typedAs[T](s.Get(ctx, namespace, name))
}

func list[T any](ctx context.Context, o *objects, gr, namespace string) ([]*T, error) {
	s, ok := o.stores[gr]
	if !ok {
		return nil, fmt.Errorf("no store for %s", gr)
	}
	items, err := s.Objects(ctx, namespace)
	if err != nil {
		return nil, err
	}
	out := make([]*T, 0, len(items))
	for _, it := range items {
		if t, ok := any(it).(*T); ok {
			out = append(out, t)
		}
	}
	return out, nil
}

func (o *objects) GetServiceAccount(ctx context.Context, ns, name string) (*corev1.ServiceAccount, error) {
	return liveGet[corev1.ServiceAccount](ctx, o, "serviceaccounts", ns, name)
}

func (o *objects) GetPod(ctx context.Context, ns, name string) (*corev1.Pod, error) {
	return liveGet[corev1.Pod](ctx, o, "pods", ns, name)
}

func (o *objects) GetSecret(ctx context.Context, ns, name string) (*corev1.Secret, error) {
	return liveGet[corev1.Secret](ctx, o, "secrets", ns, name)
}

func (o *objects) GetNode(ctx context.Context, name string) (*corev1.Node, error) {
	return liveGet[corev1.Node](ctx, o, "nodes", "", name)
}

func (o *objects) GetRole(ctx context.Context, ns, name string) (*rbacv1.Role, error) {
	return get[rbacv1.Role](ctx, o, "roles.rbac.authorization.k8s.io", ns, name)
}

func (o *objects) GetClusterRole(ctx context.Context, name string) (*rbacv1.ClusterRole, error) {
	return get[rbacv1.ClusterRole](ctx, o, "clusterroles.rbac.authorization.k8s.io", "", name)
}

func (o *objects) ListRoleBindings(ctx context.Context, ns string) ([]*rbacv1.RoleBinding, error) {
	return list[rbacv1.RoleBinding](ctx, o, "rolebindings.rbac.authorization.k8s.io", ns)
}

func (o *objects) ListClusterRoleBindings(ctx context.Context) ([]*rbacv1.ClusterRoleBinding, error) {
	return list[rbacv1.ClusterRoleBinding](ctx, o, "clusterrolebindings.rbac.authorization.k8s.io", "")
}
