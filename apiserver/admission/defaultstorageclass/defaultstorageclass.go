// Package defaultstorageclass is the DefaultStorageClass admission
// plugin: a new PersistentVolumeClaim that names no StorageClass gets the
// default one (annotated storageclass.kubernetes.io/is-default-class:
// "true"; the newest when there are several).
package defaultstorageclass

import (
	"context"
	"sort"

	"go.uber.org/zap"
	corev1 "k8s.io/api/core/v1"
	storagev1 "k8s.io/api/storage/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/skiff-dev/skiff/apiserver/admission"
)

// The annotations marking the default StorageClass.
const (
	IsDefaultStorageClassAnnotation     = "storageclass.kubernetes.io/is-default-class"
	BetaIsDefaultStorageClassAnnotation = "storageclass.beta.kubernetes.io/is-default-class"
)

// StorageClassLister lists the StorageClasses.
type StorageClassLister interface {
	ListStorageClasses(ctx context.Context) ([]*storagev1.StorageClass, error)
}

var pvcResource = schema.GroupResource{Resource: "persistentvolumeclaims"}

// Plugin is the DefaultStorageClass plugin (mutating).
type Plugin struct {
	admission.Handler
	logger  *zap.Logger
	classes StorageClassLister
}

var _ admission.MutationInterface = (*Plugin)(nil)

// New returns the plugin listing classes from classes.
func New(logger *zap.Logger, classes StorageClassLister) *Plugin {
	if logger == nil {
		logger = zap.NewNop()
	}
	return &Plugin{Handler: admission.NewHandler(admission.Create), logger: logger, classes: classes}
}

// Admit sets the default class on a claim that has none.
func (p *Plugin) Admit(ctx context.Context, a *admission.Attributes) error {
	if a.GroupResource() != pvcResource || a.Subresource != "" {
		return nil
	}
	pvc, ok := a.Object.(*corev1.PersistentVolumeClaim)
	if !ok || pvc == nil || hasClass(pvc) {
		return nil
	}
	def, err := p.defaultClass(ctx)
	if err != nil {
		return admission.NewForbidden(a, err)
	}
	if def == nil {
		return nil
	}
	p.logger.Debug("defaulting storage class", zap.String("namespace", a.Namespace),
		zap.String("claim", a.ObjectName()), zap.String("class", def.Name))
	name := def.Name
	pvc.Spec.StorageClassName = &name
	return nil
}

// hasClass: the claim names a class (an empty name included: it asks for
// none) in its spec or its beta annotation.
func hasClass(pvc *corev1.PersistentVolumeClaim) bool {
	if _, ok := pvc.Annotations[corev1.BetaStorageClassAnnotation]; ok {
		return true
	}
	return pvc.Spec.StorageClassName != nil
}

// defaultClass is the newest default class (by name when as new), nil when
// none is.
func (p *Plugin) defaultClass(ctx context.Context) (*storagev1.StorageClass, error) {
	list, err := p.classes.ListStorageClasses(ctx)
	if err != nil {
		return nil, err
	}
	var defaults []*storagev1.StorageClass
	for _, c := range list {
		if c.Annotations[IsDefaultStorageClassAnnotation] == "true" || c.Annotations[BetaIsDefaultStorageClassAnnotation] == "true" {
			defaults = append(defaults, c)
		}
	}
	if len(defaults) == 0 {
		return nil, nil
	}
	sort.Slice(defaults, func(i, j int) bool {
		ti, tj := defaults[i].CreationTimestamp.UnixNano(), defaults[j].CreationTimestamp.UnixNano()
		if ti == tj {
			return defaults[i].Name < defaults[j].Name
		}
		return ti > tj
	})
	return defaults[0], nil
}
