package service

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

// Resources returns the resources this package serves: services, with
// their status subresource, for a single-stack IPv4 cluster (the service
// CIDR's family decides services' default IP family).
func Resources() []*registry.Resource {
	return []*registry.Resource{resource(strategy{families: []corev1.IPFamily{corev1.IPv4Protocol}})}
}

func resource(s strategy) *registry.Resource {
	return &registry.Resource{
		GVR:                 corev1.SchemeGroupVersion.WithResource("services"),
		Kind:                "Service",
		SingularName:        "service",
		Namespaced:          true,
		ShortNames:          []string{"svc"},
		Categories:          []string{"all"},
		StoragePrefix:       "services/specs",
		New:                 func() storage.Object { return &corev1.Service{} },
		NewList:             func() runtime.Object { return &corev1.ServiceList{} },
		Strategy:            s,
		Status:              statusStrategy{},
		GetAttrs:            GetAttrs,
		SelectableFields:    []string{"spec.clusterIP", "spec.type"},
		Table:               Table,
		ReturnDeletedObject: true,
		AllowCreateOnUpdate: true,
	}
}

// strategy is the main resource's rules. families are the cluster's
// service IP families, the primary first.
type strategy struct{ families []corev1.IPFamily }

var _ registry.Strategy = strategy{}

// ValidateName: service names are DNS-1035 labels.
func (strategy) ValidateName(name string, prefix bool) []string {
	return apivalidation.NameIsDNS1035Label(name, prefix)
}

// Default applies upstream's service defaults to every decoded body.
func (strategy) Default(obj storage.Object) {
	if svc, ok := obj.(*corev1.Service); ok {
		defaultService(svc)
	}
}

// PrepareForCreate clears the status, syncs clusterIP with clusterIPs and
// defaults the IP families for the cluster.
func (s strategy) PrepareForCreate(_ context.Context, obj storage.Object) {
	svc, ok := obj.(*corev1.Service)
	if !ok {
		return
	}
	svc.Status = corev1.ServiceStatus{}
	normalizeClusterIPs(svc, nil)
	s.initIPFamilies(svc, nil)
}

// Validate checks a new service.
func (s strategy) Validate(_ context.Context, obj storage.Object) field.ErrorList {
	svc, ok := obj.(*corev1.Service)
	if !ok {
		return wrongType(obj)
	}
	if errs := s.allocationErrors(svc, nil); len(errs) > 0 {
		return errs
	}
	return validateService(svc)
}

// PrepareForUpdate keeps the status, fills in what was allocated but left
// out of the body, and clears what the new type no longer uses.
func (s strategy) PrepareForUpdate(_ context.Context, obj, old storage.Object) {
	svc, ok := obj.(*corev1.Service)
	oldSvc, ok2 := old.(*corev1.Service)
	if !ok || !ok2 {
		return
	}
	svc.Status = oldSvc.Status
	patchAllocatedValues(svc, oldSvc)
	normalizeClusterIPs(svc, oldSvc)
	dropTypeDependentFields(svc, oldSvc)
	s.initIPFamilies(svc, oldSvc)
}

// ValidateUpdate checks the new service and what may not change.
func (s strategy) ValidateUpdate(_ context.Context, obj, old storage.Object) field.ErrorList {
	svc, ok := obj.(*corev1.Service)
	oldSvc, ok2 := old.(*corev1.Service)
	if !ok || !ok2 {
		return wrongType(obj)
	}
	if errs := s.allocationErrors(svc, oldSvc); len(errs) > 0 {
		return errs
	}
	return validateServiceUpdate(svc, oldSvc)
}

// GetAttrs returns a service's labels and selectable fields.
func GetAttrs(obj storage.Object) (labels.Set, fields.Set, error) {
	svc, ok := obj.(*corev1.Service)
	if !ok {
		return nil, nil, fmt.Errorf("not a service: %T", obj)
	}
	f := registry.MetaFields(obj)
	f["spec.clusterIP"] = svc.Spec.ClusterIP
	f["spec.type"] = string(svc.Spec.Type)
	return labels.Set(svc.Labels), f, nil
}

func wrongType(obj storage.Object) field.ErrorList {
	return field.ErrorList{field.InternalError(nil, fmt.Errorf("not a service: %T", obj))}
}
