// Package limitranger is the LimitRanger admission plugin: a namespace's
// LimitRanges give new pods' containers their default requests and limits
// and bound what containers, pods and PersistentVolumeClaims may ask for
// (min, max, maxLimitRequestRatio).
package limitranger

import (
	"context"
	"fmt"
	"time"

	"go.uber.org/zap"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/skiff-dev/skiff/apiserver/admission"
	"github.com/skiff-dev/skiff/apiserver/admission/livelookup"
)

// LimitRangeLister lists a namespace's LimitRanges.
type LimitRangeLister interface {
	ListLimitRanges(ctx context.Context, namespace string) ([]*corev1.LimitRange, error)
}

// Upstream's live lookup: when the cache has no LimitRange for a
// namespace, storage is asked, and its answer kept this long.
const (
	liveLookupTTL = 30 * time.Second
	liveLookupMax = 10000
)

var (
	podKind = schema.GroupKind{Kind: "Pod"}
	pvcKind = schema.GroupKind{Kind: "PersistentVolumeClaim"}
)

// Plugin is the LimitRanger plugin (mutating and validating).
type Plugin struct {
	admission.Handler
	logger *zap.Logger
	ranges *livelookup.Lister[*corev1.LimitRange]
}

var (
	_ admission.MutationInterface   = (*Plugin)(nil)
	_ admission.ValidationInterface = (*Plugin)(nil)
)

// New returns the plugin listing LimitRanges from cached (a watch cache)
// and, when the cache has none for a namespace, from live (nil: no live
// lookup).
func New(logger *zap.Logger, cached, live LimitRangeLister) *Plugin {
	if logger == nil {
		logger = zap.NewNop()
	}
	var liveFn livelookup.ListFunc[*corev1.LimitRange]
	if live != nil {
		liveFn = live.ListLimitRanges
	}
	return &Plugin{
		Handler: admission.NewHandler(admission.Create, admission.Update),
		logger:  logger,
		ranges:  livelookup.NewLister(cached.ListLimitRanges, liveFn, liveLookupTTL, liveLookupMax, nil),
	}
}

// Admit gives a new pod's containers the defaults of the namespace's
// LimitRanges.
func (p *Plugin) Admit(ctx context.Context, a *admission.Attributes) error {
	return p.run(ctx, a, func(lr *corev1.LimitRange) error {
		if pod, ok := a.Object.(*corev1.Pod); ok {
			mergePodResourceRequirements(pod, defaultContainerResourceRequirements(lr))
		}
		return nil
	})
}

// Validate checks the pod or claim against every LimitRange of its
// namespace.
func (p *Plugin) Validate(ctx context.Context, a *admission.Attributes) error {
	return p.run(ctx, a, func(lr *corev1.LimitRange) error {
		switch obj := a.Object.(type) {
		case *corev1.Pod:
			return validatePod(lr, obj)
		case *corev1.PersistentVolumeClaim:
			return validateClaim(lr, obj)
		}
		return nil
	})
}

// supports says whether the plugin looks at a: pods on create (their
// containers cannot change later) and claims on create and update
// (resizes), never subresources.
func supports(a *admission.Attributes) bool {
	if _, ok := admission.Accessor(a.Object); a.Subresource != "" || !ok {
		return false
	}
	switch a.Kind.GroupKind() {
	case podKind:
		return a.Operation != admission.Update
	case pvcKind:
		return true
	}
	return false
}

func (p *Plugin) run(ctx context.Context, a *admission.Attributes, fn func(*corev1.LimitRange) error) error {
	if !supports(a) {
		return nil
	}
	if a.OldObject != nil {
		// Objects being deleted are left alone.
		old, ok := admission.Accessor(a.OldObject)
		if !ok {
			return admission.NewForbidden(a, fmt.Errorf("unexpected type %T", a.OldObject))
		}
		if old.GetDeletionTimestamp() != nil {
			return nil
		}
	}
	ranges, err := p.ranges.List(ctx, a.Namespace)
	if err != nil {
		p.logger.Warn("listing limit ranges failed", zap.String("namespace", a.Namespace), zap.Error(err))
		return admission.NewForbidden(a, fmt.Errorf("unable to %s %v at this time because there was an error enforcing limit ranges", a.Operation, a.Resource))
	}
	for _, lr := range ranges {
		if err := fn(lr); err != nil {
			return admission.NewForbidden(a, err)
		}
	}
	return nil
}
