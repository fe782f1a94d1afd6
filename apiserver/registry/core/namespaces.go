package core

import (
	"context"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	apimachineryvalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/sets"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

func namespacesResource(now func() time.Time) *registry.Resource {
	return &registry.Resource{
		GVR:                 gvr("namespaces"),
		Kind:                "Namespace",
		SingularName:        "namespace",
		ShortNames:          []string{"ns"},
		StoragePrefix:       "namespaces",
		New:                 func() storage.Object { return &corev1.Namespace{} },
		NewList:             func() runtime.Object { return &corev1.NamespaceList{} },
		Strategy:            namespaceStrategy{},
		Status:              namespaceStatusStrategy{},
		Subresources:        map[string]registry.UpdateStrategy{"finalize": FinalizeStrategy},
		GetAttrs:            namespaceAttrs,
		SelectableFields:    []string{"status.phase", "name"},
		Table:               registry.Rows(namespaceColumns, now, namespaceRow),
		ReturnDeletedObject: true,
	}
}

// FinalizeStrategy is the namespaces/finalize subresource's rule (PUT
// namespaces/<name>/finalize): only spec.finalizers (and metadata) change;
// the status stays.
var FinalizeStrategy registry.UpdateStrategy = namespaceFinalizeStrategy{}

// standardFinalizers are the finalizer names that need no domain prefix.
var standardFinalizers = sets.New(string(corev1.FinalizerKubernetes), metav1.FinalizerOrphanDependents, metav1.FinalizerDeleteDependents)

// namespaceStrategy: names are DNS labels; a new namespace is Active and
// carries the "kubernetes" finalizer; DELETE marks it Terminating and the
// spec.finalizers hold it until the namespace controller empties them.
type namespaceStrategy struct{}

// ValidateName makes namespace names DNS labels.
func (namespaceStrategy) ValidateName(name string, prefix bool) []string {
	return apimachineryvalidation.ValidateNamespaceName(name, prefix)
}

// Default sets the phase and the kubernetes.io/metadata.name label.
func (namespaceStrategy) Default(obj storage.Object) {
	ns, ok := obj.(*corev1.Namespace)
	if !ok {
		return
	}
	if ns.Status.Phase == "" {
		ns.Status.Phase = corev1.NamespaceActive
	}
	setNamespaceNameLabel(ns)
}

// setNamespaceNameLabel keeps the label kubernetes.io/metadata.name equal
// to the name (once the name is known).
func setNamespaceNameLabel(ns *corev1.Namespace) {
	if ns.Name == "" {
		return
	}
	if ns.Labels == nil {
		ns.Labels = map[string]string{}
	}
	ns.Labels[corev1.LabelMetadataName] = ns.Name
}

// PrepareForCreate makes the namespace Active and adds the "kubernetes"
// spec finalizer.
func (namespaceStrategy) PrepareForCreate(_ context.Context, obj storage.Object) {
	ns, ok := obj.(*corev1.Namespace)
	if !ok {
		return
	}
	ns.Status = corev1.NamespaceStatus{Phase: corev1.NamespaceActive}
	hasKube := false
	for _, f := range ns.Spec.Finalizers {
		if f == corev1.FinalizerKubernetes {
			hasKube = true
			break
		}
	}
	if !hasKube {
		ns.Spec.Finalizers = append(ns.Spec.Finalizers, corev1.FinalizerKubernetes)
	}
	setNamespaceNameLabel(ns)
}

// Validate checks the spec finalizers' names.
func (namespaceStrategy) Validate(_ context.Context, obj storage.Object) field.ErrorList {
	ns, ok := obj.(*corev1.Namespace)
	if !ok {
		return wrongType(obj)
	}
	return validateNamespace(ns)
}

func validateNamespace(ns *corev1.Namespace) field.ErrorList {
	var errs field.ErrorList
	for _, f := range ns.Spec.Finalizers {
		errs = append(errs, validateFinalizerName(string(f), field.NewPath("spec", "finalizers"))...)
	}
	return errs
}

// validateFinalizerName: a qualified name, and one of the standard names
// unless prefixed by a domain.
func validateFinalizerName(name string, fldPath *field.Path) field.ErrorList {
	errs := apimachineryvalidation.ValidateFinalizerName(name, fldPath)
	if !strings.Contains(name, "/") && !standardFinalizers.Has(name) {
		errs = append(errs, field.Invalid(fldPath, name, "name is neither a standard finalizer name nor is it fully qualified"))
	}
	return errs
}

// PrepareForUpdate keeps the spec finalizers and the status: only the
// finalize and status subresources change them.
func (namespaceStrategy) PrepareForUpdate(_ context.Context, obj, old storage.Object) {
	ns, ok1 := obj.(*corev1.Namespace)
	oldNs, ok2 := old.(*corev1.Namespace)
	if !ok1 || !ok2 {
		return
	}
	ns.Spec.Finalizers = oldNs.Spec.Finalizers
	ns.Status = oldNs.Status
	setNamespaceNameLabel(ns)
}

// ValidateUpdate checks the namespace as on create.
func (namespaceStrategy) ValidateUpdate(_ context.Context, obj, old storage.Object) field.ErrorList {
	ns, ok := obj.(*corev1.Namespace)
	if !ok {
		return wrongType(obj, old)
	}
	return validateNamespace(ns)
}

// MarkDeleted changes a namespace as DELETE marks it (after the registry
// set its deletionTimestamp): the phase becomes Terminating. Upstream
// leaves deletionGracePeriodSeconds unset on namespaces.
func (namespaceStrategy) MarkDeleted(obj storage.Object) {
	ns, ok := obj.(*corev1.Namespace)
	if !ok {
		return
	}
	ns.Status.Phase = corev1.NamespaceTerminating
	ns.DeletionGracePeriodSeconds = nil
}

// HoldsDeletion says whether spec.finalizers keep a namespace that is
// being deleted (besides metadata.finalizers, which the registry checks).
func (namespaceStrategy) HoldsDeletion(obj storage.Object) bool {
	ns, ok := obj.(*corev1.Namespace)
	return ok && len(ns.Spec.Finalizers) > 0
}

// namespaceStatusStrategy: the phase must agree with deletionTimestamp.
type namespaceStatusStrategy struct{ registry.StatusOnly }

// ValidateUpdate checks the phase.
func (namespaceStatusStrategy) ValidateUpdate(_ context.Context, obj, old storage.Object) field.ErrorList {
	ns, ok := obj.(*corev1.Namespace)
	if !ok {
		return wrongType(obj, old)
	}
	phase := field.NewPath("status", "Phase")
	if ns.DeletionTimestamp.IsZero() {
		if ns.Status.Phase != corev1.NamespaceActive {
			return field.ErrorList{field.Invalid(phase, ns.Status.Phase, "may only be 'Active' if `deletionTimestamp` is empty")}
		}
		return nil
	}
	if ns.Status.Phase != corev1.NamespaceTerminating {
		return field.ErrorList{field.Invalid(phase, ns.Status.Phase, "may only be 'Terminating' if `deletionTimestamp` is not empty")}
	}
	return nil
}

// namespaceFinalizeStrategy: the finalize subresource keeps the status.
type namespaceFinalizeStrategy struct{}

// PrepareForUpdate keeps the status.
func (namespaceFinalizeStrategy) PrepareForUpdate(_ context.Context, obj, old storage.Object) {
	registry.KeepStatus(obj, old)
}

// ValidateUpdate checks each spec finalizer's name.
func (namespaceFinalizeStrategy) ValidateUpdate(_ context.Context, obj, old storage.Object) field.ErrorList {
	ns, ok := obj.(*corev1.Namespace)
	if !ok {
		return wrongType(obj, old)
	}
	var errs field.ErrorList
	for i, f := range ns.Spec.Finalizers {
		errs = append(errs, validateFinalizerName(string(f), field.NewPath("spec", "finalizers").Index(i))...)
	}
	return errs
}

func namespaceAttrs(obj storage.Object) (labels.Set, fields.Set, error) {
	ns, ok := obj.(*corev1.Namespace)
	if !ok {
		return nil, nil, unexpectedType(obj)
	}
	f := registry.MetaFields(obj)
	f["status.phase"] = string(ns.Status.Phase)
	f["name"] = ns.Name
	return labels.Set(ns.Labels), f, nil
}

var namespaceColumns = []metav1.TableColumnDefinition{
	registry.NameColumn,
	{Name: "Status", Type: "string", Description: "The status of the namespace"},
	registry.AgeColumn,
}

func namespaceRow(obj storage.Object, now time.Time) ([]any, error) {
	ns, ok := obj.(*corev1.Namespace)
	if !ok {
		return nil, unexpectedType(obj)
	}
	return []any{ns.Name, string(ns.Status.Phase), age(obj, now)}, nil
}
