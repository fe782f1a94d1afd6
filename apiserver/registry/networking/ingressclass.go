package networking

import (
	"context"
	"time"

	networkingv1 "k8s.io/api/networking/v1"
	apimachineryvalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

// maxControllerLength bounds spec.controller, as upstream.
const maxControllerLength = 250

func ingressClassResource(now func() time.Time) *registry.Resource {
	return &registry.Resource{
		GVR:           networkingv1.SchemeGroupVersion.WithResource("ingressclasses"),
		Kind:          "IngressClass",
		SingularName:  "ingressclass",
		StoragePrefix: "ingressclasses",
		New:           func() storage.Object { return &networkingv1.IngressClass{} },
		NewList:       func() runtime.Object { return &networkingv1.IngressClassList{} },
		Strategy:      ingressClassStrategy{},
		Table:         ingressClassTable(now),
	}
}

// ingressClassStrategy: generation starts at 1 and moves with the spec;
// the controller is immutable.
type ingressClassStrategy struct{ registry.Plain }

// Default is upstream's SetDefaults_IngressClass: parameters are
// cluster-scoped unless they say otherwise.
func (ingressClassStrategy) Default(obj storage.Object) {
	if p := obj.(*networkingv1.IngressClass).Spec.Parameters; p != nil && p.Scope == nil {
		scope := networkingv1.IngressClassParametersReferenceScopeCluster
		p.Scope = &scope
	}
}

func (ingressClassStrategy) PrepareForCreate(_ context.Context, obj storage.Object) {
	obj.SetGeneration(1)
}

func (ingressClassStrategy) Validate(_ context.Context, obj storage.Object) field.ErrorList {
	return validateIngressClassSpec(&obj.(*networkingv1.IngressClass).Spec, field.NewPath("spec"))
}

func (ingressClassStrategy) ValidateUpdate(_ context.Context, obj, old storage.Object) field.ErrorList {
	spec, oldSpec := &obj.(*networkingv1.IngressClass).Spec, &old.(*networkingv1.IngressClass).Spec
	errs := apimachineryvalidation.ValidateImmutableField(spec.Controller, oldSpec.Controller, field.NewPath("spec", "controller"))
	return append(errs, validateIngressClassSpec(spec, field.NewPath("spec"))...)
}

func validateIngressClassSpec(spec *networkingv1.IngressClassSpec, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	if len(spec.Controller) > maxControllerLength {
		errs = append(errs, field.TooLong(fldPath.Child("controller"), "", maxControllerLength))
	}
	errs = append(errs, validation.IsDomainPrefixedPath(fldPath.Child("controller"), spec.Controller)...)
	p := spec.Parameters
	if p == nil {
		return errs
	}
	path := fldPath.Child("parameters")
	errs = append(errs, validateLocalReference(p.APIGroup, p.Kind, p.Name, path)...)
	if p.Scope == nil {
		return append(errs, field.Required(path.Child("scope"), ""))
	}
	switch *p.Scope {
	case networkingv1.IngressClassParametersReferenceScopeNamespace:
		if p.Namespace == nil {
			errs = append(errs, field.Required(path.Child("namespace"), "`parameters.scope` is set to 'Namespace'"))
		} else {
			for _, msg := range apimachineryvalidation.NameIsDNSLabel(*p.Namespace, false) {
				errs = append(errs, field.Invalid(path.Child("namespace"), *p.Namespace, msg))
			}
		}
	case networkingv1.IngressClassParametersReferenceScopeCluster:
		if p.Namespace != nil {
			errs = append(errs, field.Forbidden(path.Child("namespace"), "`parameters.scope` is set to 'Cluster'"))
		}
	default:
		errs = append(errs, field.NotSupported(path.Child("scope"), *p.Scope, []string{
			networkingv1.IngressClassParametersReferenceScopeCluster, networkingv1.IngressClassParametersReferenceScopeNamespace}))
	}
	return errs
}

var ingressClassColumns = []metav1.TableColumnDefinition{
	registry.NameColumn,
	{Name: "Controller", Type: "string", Description: "Controller that is responsible for handling this class"},
	{Name: "Parameters", Type: "string", Description: "A reference to a resource with additional parameters"},
	registry.AgeColumn,
}

func ingressClassTable(now func() time.Time) registry.TableFunc {
	return registry.Rows(ingressClassColumns, now, ingressClassRow)
}

func ingressClassRow(obj storage.Object, now time.Time) ([]any, error) {
	ic := obj.(*networkingv1.IngressClass)
	params := "<none>"
	if p := ic.Spec.Parameters; p != nil {
		params = p.Kind
		if p.APIGroup != nil {
			params += "." + *p.APIGroup
		}
		params += "/" + p.Name
	}
	return []any{ic.Name, ic.Spec.Controller, params, registry.Age(ic.CreationTimestamp, now)}, nil
}
