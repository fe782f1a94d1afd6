package core

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

func resourceQuotasResource(now func() time.Time) *registry.Resource {
	return &registry.Resource{
		GVR:           gvr("resourcequotas"),
		Kind:          "ResourceQuota",
		SingularName:  "resourcequota",
		Namespaced:    true,
		ShortNames:    []string{"quota"},
		StoragePrefix: "resourcequotas",
		New:           func() storage.Object { return &corev1.ResourceQuota{} },
		NewList:       func() runtime.Object { return &corev1.ResourceQuotaList{} },
		Strategy:      resourceQuotaStrategy{},
		Status:        resourceQuotaStatusStrategy{},
		Table:         registry.Rows(resourceQuotaColumns, now, resourceQuotaRow),
	}
}

// resourceQuotaStrategy: the status belongs to the quota controller; hard
// limits name quota resources; scopes never change.
type resourceQuotaStrategy struct{ registry.Plain }

// PrepareForCreate clears the status.
func (resourceQuotaStrategy) PrepareForCreate(_ context.Context, obj storage.Object) {
	registry.ResetStatus(obj)
}

// PrepareForUpdate keeps the status.
func (resourceQuotaStrategy) PrepareForUpdate(_ context.Context, obj, old storage.Object) {
	registry.KeepStatus(obj, old)
}

// Validate checks the spec (and the status, empty on create).
func (resourceQuotaStrategy) Validate(_ context.Context, obj storage.Object) field.ErrorList {
	rq, ok := obj.(*corev1.ResourceQuota)
	if !ok {
		return wrongType(obj)
	}
	errs := validateResourceQuotaSpec(&rq.Spec, field.NewPath("spec"))
	return append(errs, validateResourceQuotaStatus(&rq.Status)...)
}

// ValidateUpdate checks the spec and that the scopes did not change.
func (resourceQuotaStrategy) ValidateUpdate(_ context.Context, obj, old storage.Object) field.ErrorList {
	rq, ok1 := obj.(*corev1.ResourceQuota)
	oldRQ, ok2 := old.(*corev1.ResourceQuota)
	if !ok1 || !ok2 {
		return wrongType(obj, old)
	}
	errs := validateResourceQuotaSpec(&rq.Spec, field.NewPath("spec"))
	if !sameScopes(rq.Spec.Scopes, oldRQ.Spec.Scopes) {
		errs = append(errs, field.Invalid(field.NewPath("spec", "scopes"), rq.Spec.Scopes, fieldImmutableErrorMsg))
	}
	return errs
}

func sameScopes(a, b []corev1.ResourceQuotaScope) bool {
	set := func(s []corev1.ResourceQuotaScope) map[corev1.ResourceQuotaScope]bool {
		m := map[corev1.ResourceQuotaScope]bool{}
		for _, x := range s {
			m[x] = true
		}
		return m
	}
	sa, sb := set(a), set(b)
	if len(sa) != len(sb) {
		return false
	}
	for k := range sa {
		if !sb[k] {
			return false
		}
	}
	return true
}

// resourceQuotaStatusStrategy: the quota controller writes hard and used.
type resourceQuotaStatusStrategy struct{ registry.StatusOnly }

// ValidateUpdate checks the status' names and quantities.
func (resourceQuotaStatusStrategy) ValidateUpdate(_ context.Context, obj, old storage.Object) field.ErrorList {
	rq, ok := obj.(*corev1.ResourceQuota)
	if !ok {
		return wrongType(obj, old)
	}
	return validateResourceQuotaStatus(&rq.Status)
}

var resourceQuotaColumns = []metav1.TableColumnDefinition{
	registry.NameColumn,
	registry.AgeColumn,
	{Name: "Request", Type: "string", Description: "Request represents a minimum amount of cpu/memory that a container may consume."},
	{Name: "Limit", Type: "string", Description: "Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node."},
}

// resourceQuotaRow shows "name: used/hard" for each resource, limits.*
// under LIMIT and the rest under REQUEST.
func resourceQuotaRow(obj storage.Object, now time.Time) ([]any, error) {
	rq, ok := obj.(*corev1.ResourceQuota)
	if !ok {
		return nil, unexpectedType(obj)
	}
	names := make([]string, 0, len(rq.Status.Hard))
	for name := range rq.Status.Hard {
		names = append(names, string(name))
	}
	sort.Strings(names)
	var requests, limits []string
	for _, name := range names {
		used := rq.Status.Used[corev1.ResourceName(name)]
		hard := rq.Status.Hard[corev1.ResourceName(name)]
		cell := fmt.Sprintf("%s: %s/%s", name, used.String(), hard.String())
		if pieces := strings.Split(name, "."); len(pieces) > 1 && pieces[0] == "limits" {
			limits = append(limits, cell)
		} else {
			requests = append(requests, cell)
		}
	}
	return []any{rq.Name, age(obj, now), strings.Join(requests, ", "), strings.Join(limits, ", ")}, nil
}
