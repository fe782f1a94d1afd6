// Package namespacelifecycle is the NamespaceLifecycle admission plugin:
// nothing is written into a namespace that does not exist, nothing new is
// created in one being terminated, and the namespaces the cluster needs
// (default, kube-system, kube-public) cannot be deleted.
package namespacelifecycle

import (
	"context"
	"fmt"
	"time"

	"go.uber.org/zap"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/skiff-dev/skiff/apiserver/admission"
	"github.com/skiff-dev/skiff/apiserver/admission/livelookup"
)

// NamespaceGetter reads a namespace; a missing one is an error for which
// admission.IsNotFound is true.
type NamespaceGetter interface {
	GetNamespace(ctx context.Context, name string) (*corev1.Namespace, error)
}

const (
	// forceLiveLookupTTL is how long after a namespace's deletion its
	// cached state is not trusted (upstream's).
	forceLiveLookupTTL = 30 * time.Second
	forceLiveLookupMax = 100
)

// immortal are the namespaces that may not be deleted.
var immortal = map[string]bool{
	metav1.NamespaceDefault: true,
	metav1.NamespaceSystem:  true,
	metav1.NamespacePublic:  true,
}

// accessReviews give a view into permissions in a namespace; refusing them
// for a missing namespace would tell whether it exists.
var accessReviews = map[schema.GroupResource]bool{
	{Group: "authorization.k8s.io", Resource: "localsubjectaccessreviews"}: true,
}

var (
	namespaceKind     = schema.GroupKind{Kind: "Namespace"}
	namespaceResource = schema.GroupResource{Resource: "namespaces"}
)

// Plugin is the NamespaceLifecycle plugin (mutating, as upstream).
type Plugin struct {
	admission.Handler
	logger *zap.Logger
	cached NamespaceGetter
	live   NamespaceGetter
	// forceLive holds namespaces recently deleted through this server: the
	// cache may still show them active, so they are read live.
	forceLive *livelookup.Cache[bool]
}

var _ admission.MutationInterface = (*Plugin)(nil)

// New returns the plugin reading namespaces from cached (a watch cache)
// and, when the cache does not have one or may be stale, from live (a
// consistent read; nil: cached is used for both).
func New(logger *zap.Logger, cached, live NamespaceGetter) *Plugin {
	if logger == nil {
		logger = zap.NewNop()
	}
	if live == nil {
		live = cached
	}
	return &Plugin{
		Handler:   admission.NewHandler(admission.Create, admission.Update, admission.Delete),
		logger:    logger,
		cached:    cached,
		live:      live,
		forceLive: livelookup.New[bool](forceLiveLookupMax, nil),
	}
}

// Admit refuses writes into missing or terminating namespaces and the
// deletion of immortal ones.
func (p *Plugin) Admit(ctx context.Context, a *admission.Attributes) error {
	isNamespace := a.Kind.GroupKind() == namespaceKind
	if a.Operation == admission.Delete && isNamespace && immortal[a.Name] {
		return apierrors.NewForbidden(a.GroupResource(), a.Name, fmt.Errorf("this namespace may not be deleted"))
	}
	if a.Namespace == "" && !isNamespace {
		return nil // cluster-scoped
	}
	if isNamespace {
		if a.Operation == admission.Delete {
			p.forceLive.Add(a.Name, true, forceLiveLookupTTL)
		}
		return nil
	}
	if a.Operation == admission.Delete || accessReviews[a.GroupResource()] {
		return nil
	}

	ns, err := p.cached.GetNamespace(ctx, a.Namespace)
	exists := err == nil && ns != nil
	if err != nil && !admission.IsNotFound(err) {
		return apierrors.NewInternalError(fmt.Errorf("namespace %q: %w", a.Namespace, err))
	}
	_, recentlyDeleted := p.forceLive.Get(a.Namespace)
	forceLive := recentlyDeleted && exists && ns.Status.Phase == corev1.NamespaceActive
	if !exists || forceLive {
		ns, err = p.live.GetNamespace(ctx, a.Namespace)
		switch {
		case err == nil && ns != nil:
		case err == nil || admission.IsNotFound(err):
			return apierrors.NewNotFound(namespaceResource, a.Namespace)
		default:
			return apierrors.NewInternalError(fmt.Errorf("namespace %q: %w", a.Namespace, err))
		}
	}

	if a.Operation != admission.Create || ns.Status.Phase != corev1.NamespaceTerminating {
		return nil
	}
	p.logger.Debug("create refused in terminating namespace",
		zap.String("namespace", a.Namespace), zap.String("resource", a.GroupResource().String()))
	return terminating(a)
}

// terminating is upstream's refusal of new content in a terminating
// namespace, with its NamespaceTerminating cause.
func terminating(a *admission.Attributes) error {
	err := admission.NewForbidden(a, fmt.Errorf("unable to create new content in namespace %s because it is being terminated", a.Namespace))
	if se, ok := err.(*apierrors.StatusError); ok {
		se.ErrStatus.Details.Causes = append(se.ErrStatus.Details.Causes, metav1.StatusCause{
			Type:    corev1.NamespaceTerminatingCause,
			Message: fmt.Sprintf("namespace %s is being terminated", a.Namespace),
			Field:   "metadata.namespace",
		})
	}
	return err
}
