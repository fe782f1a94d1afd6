package app

import (
	"context"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"
	corev1 "k8s.io/api/core/v1"
	schedulingv1 "k8s.io/api/scheduling/v1"
	storagev1 "k8s.io/api/storage/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/skiff-dev/skiff/apiserver/admission"
	"github.com/skiff-dev/skiff/apiserver/admission/defaultstorageclass"
	"github.com/skiff-dev/skiff/apiserver/admission/defaulttolerationseconds"
	"github.com/skiff-dev/skiff/apiserver/admission/limitranger"
	"github.com/skiff-dev/skiff/apiserver/admission/namespacelifecycle"
	"github.com/skiff-dev/skiff/apiserver/admission/noderestriction"
	"github.com/skiff-dev/skiff/apiserver/admission/priority"
	"github.com/skiff-dev/skiff/apiserver/admission/resourcequota"
	"github.com/skiff-dev/skiff/apiserver/admission/serviceaccount"
	"github.com/skiff-dev/skiff/apiserver/admission/taintnodesbycondition"
	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

// Upstream's default toleration seconds for not-ready and unreachable nodes.
const defaultTolerationSeconds = 300

// newAdmission builds the admission chain --enable-admission-plugins and
// --disable-admission-plugins ask for; lookups read the watch caches, and
// etcd where a plugin needs a live read.
func newAdmission(logger *zap.Logger, o *Options, objs *objects, reg prometheus.Registerer) (*admission.Chain, error) {
	cached, live := cachedObjects{objs}, objs
	factories := map[string]admission.Factory{
		admission.NamespaceLifecycle: func() (admission.Plugin, error) {
			return namespacelifecycle.New(logger, cached, live), nil
		},
		admission.LimitRanger: func() (admission.Plugin, error) {
			return limitranger.New(logger, objs, liveObjects{objs}), nil
		},
		admission.ServiceAccount: func() (admission.Plugin, error) {
			return serviceaccount.New(logger, cached, live), nil
		},
		admission.NodeRestriction:       func() (admission.Plugin, error) { return noderestriction.New(logger, live, live), nil },
		admission.TaintNodesByCondition: func() (admission.Plugin, error) { return taintnodesbycondition.New(), nil },
		admission.Priority:              func() (admission.Plugin, error) { return priority.New(logger, objs), nil },
		admission.DefaultTolerationSeconds: func() (admission.Plugin, error) {
			return defaulttolerationseconds.New(defaultTolerationSeconds, defaultTolerationSeconds), nil
		},
		admission.DefaultStorageClass: func() (admission.Plugin, error) { return defaultstorageclass.New(logger, objs), nil },
		admission.ResourceQuota: func() (admission.Plugin, error) {
			return resourcequota.New(logger, objs, liveObjects{objs}, objs), nil
		},
	}
	plugins, err := admission.Plugins(o.EnableAdmissionPlugins, o.DisableAdmissionPlugins, factories)
	if err != nil {
		return nil, err
	}
	m, err := admission.NewMetrics(reg)
	if err != nil {
		return nil, err
	}
	return admission.NewChain(plugins, admission.WithMetrics(m)), nil
}

// cachedObjects reads from the watch caches.
type cachedObjects struct{ o *objects }

func (c cachedObjects) GetNamespace(ctx context.Context, name string) (*corev1.Namespace, error) {
	return get[corev1.Namespace](ctx, c.o, "namespaces", "", name)
}

func (c cachedObjects) GetServiceAccount(ctx context.Context, ns, name string) (*corev1.ServiceAccount, error) {
	return get[corev1.ServiceAccount](ctx, c.o, "serviceaccounts", ns, name)
}

func typedAs[T any](obj storage.Object, err error) (*T, error) {
	if err != nil {
		return nil, err
	}
	t, ok := any(obj).(*T)
	if !ok {
		return nil, errUnexpectedType
	}
	return t, nil
}

func (o *objects) GetNamespace(ctx context.Context, name string) (*corev1.Namespace, error) {
	return liveGet[corev1.Namespace](ctx, o, "namespaces", "", name)
}

func (o *objects) ListLimitRanges(ctx context.Context, ns string) ([]*corev1.LimitRange, error) {
	return list[corev1.LimitRange](ctx, o, "limitranges", ns)
}

func (o *objects) ListResourceQuotas(ctx context.Context, ns string) ([]*corev1.ResourceQuota, error) {
	return list[corev1.ResourceQuota](ctx, o, "resourcequotas", ns)
}

// UpdateResourceQuotaStatus writes q's status, refusing a stale
// resourceVersion with a Conflict.
func (o *objects) UpdateResourceQuotaStatus(ctx context.Context, q *corev1.ResourceQuota) (*corev1.ResourceQuota, error) {
	out, _, err := o.stores["resourcequotas"].Update(ctx, q.Namespace, q.Name, "status",
		func(context.Context, storage.Object) (storage.Object, error) { return q.DeepCopy(), nil }, registry.WriteOptions{})
	return typedAs[corev1.ResourceQuota](out, err)
}

func (o *objects) ListStorageClasses(ctx context.Context) ([]*storagev1.StorageClass, error) {
	return list[storagev1.StorageClass](ctx, o, "storageclasses.storage.k8s.io", "")
}

func (o *objects) GetPriorityClass(ctx context.Context, name string) (*schedulingv1.PriorityClass, error) {
	return get[schedulingv1.PriorityClass](ctx, o, "priorityclasses.scheduling.k8s.io", "", name)
}

func (o *objects) ListPriorityClasses(ctx context.Context) ([]*schedulingv1.PriorityClass, error) {
	return list[schedulingv1.PriorityClass](ctx, o, "priorityclasses.scheduling.k8s.io", "")
}

type constError string

func (e constError) Error() string { return string(e) }

const errUnexpectedType = constError("unexpected object type")

// liveObjects reads from etcd, for the lookups that must see the latest
// writes (a quota created a moment ago).
type liveObjects struct{ o *objects }

func liveList[T any](ctx context.Context, o *objects, gr, namespace string) ([]*T, error) {
	l, err := o.stores[gr].List(ctx, namespace, metav1.ListOptions{})
	if err != nil {
		return nil, err
	}
	items, err := meta.ExtractList(l)
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

func (l liveObjects) ListLimitRanges(ctx context.Context, ns string) ([]*corev1.LimitRange, error) {
	return liveList[corev1.LimitRange](ctx, l.o, "limitranges", ns)
}

func (l liveObjects) ListResourceQuotas(ctx context.Context, ns string) ([]*corev1.ResourceQuota, error) {
	return liveList[corev1.ResourceQuota](ctx, l.o, "resourcequotas", ns)
}
