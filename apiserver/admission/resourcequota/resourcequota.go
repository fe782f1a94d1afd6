// Package resourcequota is the ResourceQuota admission plugin: a write
// that would take a namespace's usage past a ResourceQuota's hard limits
// is refused, and an accepted one is added to the quota's status.used
// before the object is stored (compare-and-swap on the quota, retried on
// conflict), so concurrent writes cannot together exceed it. Recomputing
// usage from what exists is the quota controller's job.
package resourcequota

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"

	"go.uber.org/zap"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/skiff-dev/skiff/apiserver/admission"
	"github.com/skiff-dev/skiff/apiserver/admission/livelookup"
)

// QuotaLister lists a namespace's ResourceQuotas.
type QuotaLister interface {
	ListResourceQuotas(ctx context.Context, namespace string) ([]*corev1.ResourceQuota, error)
}

// QuotaStatusUpdater writes a quota's status if the stored quota still has
// q's resourceVersion (a conflict error otherwise), returning the quota as
// stored.
type QuotaStatusUpdater interface {
	UpdateResourceQuotaStatus(ctx context.Context, q *corev1.ResourceQuota) (*corev1.ResourceQuota, error)
}

const (
	// maxRetries is how many times a lost update race is retried
	// (upstream's).
	maxRetries    = 3
	liveLookupTTL = 30 * time.Second
	liveLookupMax = 10000
	// updatedMax bounds the quotas remembered as written by this server.
	updatedMax = 100
)

var namespacesResource = schema.GroupResource{Resource: "namespaces"}

// Plugin is the ResourceQuota plugin (validating).
type Plugin struct {
	admission.Handler
	logger  *zap.Logger
	quotas  *livelookup.Lister[*corev1.ResourceQuota]
	live    QuotaLister
	updater QuotaStatusUpdater
	pods    *podEvaluator
	// updated holds the quotas this server wrote, newer than a lagging
	// cache may still show.
	updated *livelookup.Cache[*corev1.ResourceQuota]
	locks   namespaceLocks
}

var _ admission.ValidationInterface = (*Plugin)(nil)

// New returns the plugin listing quotas from cached (a watch cache) and,
// when it has none for a namespace or after a lost update race, from live
// (a consistent read; nil: cached only), and writing their status through
// updater.
func New(logger *zap.Logger, cached, live QuotaLister, updater QuotaStatusUpdater) *Plugin {
	if logger == nil {
		logger = zap.NewNop()
	}
	var liveFn livelookup.ListFunc[*corev1.ResourceQuota]
	if live != nil {
		liveFn = live.ListResourceQuotas
	}
	return &Plugin{
		Handler: admission.NewHandler(admission.Create, admission.Update),
		logger:  logger,
		quotas:  livelookup.NewLister(cached.ListResourceQuotas, liveFn, liveLookupTTL, liveLookupMax, nil),
		live:    live,
		updater: updater,
		pods:    &podEvaluator{now: time.Now},
		updated: livelookup.New[*corev1.ResourceQuota](updatedMax, nil),
	}
}

// Validate refuses a when it exceeds a quota and charges it to the quotas
// otherwise (not on dry runs).
func (p *Plugin) Validate(ctx context.Context, a *admission.Attributes) error {
	gr := a.GroupResource()
	if a.Subresource != "" || a.Namespace == "" || a.Object == nil || ignoredResources[gr] {
		return nil
	}
	if a.Operation == admission.Create && gr == namespacesResource {
		return nil
	}
	ev := evaluatorFor(gr, p.pods)
	if !ev.handles(a.Operation) {
		return nil
	}
	unlock := p.locks.lock(a.Namespace)
	defer unlock()

	quotas, err := p.listQuotas(ctx, a.Namespace, false)
	if err != nil {
		return fmt.Errorf("error resolving quota: %w", err)
	}
	for retry := 0; len(quotas) > 0; retry++ {
		next, err := checkRequest(quotas, a, ev)
		if err != nil {
			return err
		}
		if a.DryRun {
			return nil
		}
		failed, lastErr := p.write(ctx, quotas, next)
		if len(failed) == 0 {
			return nil
		}
		if retry == maxRetries {
			return lastErr
		}
		p.logger.Debug("quota update lost a race, retrying", zap.String("namespace", a.Namespace), zap.Error(lastErr))
		fresh, err := p.listQuotas(ctx, a.Namespace, true)
		if err != nil {
			return lastErr
		}
		// Only the quotas whose update failed are checked again; a quota
		// deleted meanwhile no longer limits.
		quotas = nil
		for _, q := range fresh {
			if failed[q.Name] {
				quotas = append(quotas, q)
			}
		}
	}
	return nil
}

// write stores the quotas whose usage changed from before to after, and
// returns the names of those it could not write with the last error.
func (p *Plugin) write(ctx context.Context, before, after []corev1.ResourceQuota) (map[string]bool, error) {
	var failed map[string]bool
	var lastErr error
	for i := range after {
		if equal(before[i].Status.Used, after[i].Status.Used) {
			continue
		}
		stored, err := p.updater.UpdateResourceQuotaStatus(ctx, after[i].DeepCopy())
		if err != nil {
			if failed == nil {
				failed = map[string]bool{}
			}
			failed[after[i].Name] = true
			lastErr = err
			continue
		}
		if stored != nil {
			p.updated.Add(stored.Namespace+"/"+stored.Name, stored.DeepCopy(), 0)
		}
	}
	return failed, lastErr
}

// listQuotas returns copies of namespace's quotas, each in the newest
// version this server knows; live reads storage.
func (p *Plugin) listQuotas(ctx context.Context, namespace string, live bool) ([]corev1.ResourceQuota, error) {
	var items []*corev1.ResourceQuota
	var err error
	if live && p.live != nil {
		items, err = p.live.ListResourceQuotas(ctx, namespace)
	} else {
		items, err = p.quotas.List(ctx, namespace)
	}
	if err != nil {
		return nil, err
	}
	out := make([]corev1.ResourceQuota, 0, len(items))
	for _, q := range items {
		if q != nil {
			out = append(out, *p.newest(q).DeepCopy())
		}
	}
	return out, nil
}

// newest is q, or the version of it this server wrote when that is newer.
func (p *Plugin) newest(q *corev1.ResourceQuota) *corev1.ResourceQuota {
	key := q.Namespace + "/" + q.Name
	written, ok := p.updated.Get(key)
	if !ok {
		return q
	}
	listed, err1 := strconv.ParseUint(q.ResourceVersion, 10, 64)
	mine, err2 := strconv.ParseUint(written.ResourceVersion, 10, 64)
	if err1 != nil || err2 != nil || listed >= mine || written.UID != q.UID {
		p.updated.Remove(key)
		return q
	}
	return written
}

// namespaceLocks serialises the quota checks of each namespace in this
// server (across servers the compare-and-swap does).
type namespaceLocks struct {
	mu    sync.Mutex
	locks map[string]*namespaceLock
}

type namespaceLock struct {
	sync.Mutex
	refs int
}

func (l *namespaceLocks) lock(namespace string) (unlock func()) {
	l.mu.Lock()
	if l.locks == nil {
		l.locks = map[string]*namespaceLock{}
	}
	nl := l.locks[namespace]
	if nl == nil {
		nl = &namespaceLock{}
		l.locks[namespace] = nl
	}
	nl.refs++
	l.mu.Unlock()
	nl.Lock()
	return func() {
		nl.Unlock()
		l.mu.Lock()
		if nl.refs--; nl.refs == 0 {
			delete(l.locks, namespace)
		}
		l.mu.Unlock()
	}
}
