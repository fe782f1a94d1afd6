package policy

import (
	"context"
	"time"

	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	metav1validation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

// Resources lists the policy/v1 resources this package serves.
func Resources() []*registry.Resource { return []*registry.Resource{pdbResource(time.Now)} }

func pdbResource(now func() time.Time) *registry.Resource {
	return &registry.Resource{
		GVR:           policyv1.SchemeGroupVersion.WithResource("poddisruptionbudgets"),
		Kind:          "PodDisruptionBudget",
		SingularName:  "poddisruptionbudget",
		Namespaced:    true,
		ShortNames:    []string{"pdb"},
		StoragePrefix: "poddisruptionbudgets",
		New:           func() storage.Object { return &policyv1.PodDisruptionBudget{} },
		NewList:       func() runtime.Object { return &policyv1.PodDisruptionBudgetList{} },
		Strategy:      strategy{},
		Status:        statusStrategy{},
		Table:         table(now),
	}
}

// strategy: status is the disruption controller's; generation starts at 1
// and moves with the spec.
type strategy struct{ registry.WithStatus }

func (strategy) Validate(_ context.Context, obj storage.Object) field.ErrorList {
	return validateSpec(&obj.(*policyv1.PodDisruptionBudget).Spec, false, field.NewPath("spec"))
}

// ValidateUpdate tolerates invalid label values in the selector when the
// stored budget already had them, as upstream.
func (strategy) ValidateUpdate(_ context.Context, obj, old storage.Object) field.ErrorList {
	oldSel := old.(*policyv1.PodDisruptionBudget).Spec.Selector
	invalid := len(metav1validation.ValidateLabelSelector(oldSel, metav1validation.LabelSelectorValidationOptions{}, nil)) > 0
	return validateSpec(&obj.(*policyv1.PodDisruptionBudget).Spec, invalid, field.NewPath("spec"))
}

type statusStrategy struct{ registry.StatusOnly }

func (statusStrategy) ValidateUpdate(_ context.Context, obj, _ storage.Object) field.ErrorList {
	return validateStatus(&obj.(*policyv1.PodDisruptionBudget).Status, field.NewPath("status"))
}

var columns = []metav1.TableColumnDefinition{
	registry.NameColumn,
	{Name: "Min Available", Type: "string", Description: "The minimum number of pods that must be available."},
	{Name: "Max Unavailable", Type: "string", Description: "The maximum number of pods that may be unavailable."},
	{Name: "Allowed Disruptions", Type: "integer", Description: "Calculated number of pods that may be disrupted at this time."},
	registry.AgeColumn,
}

func table(now func() time.Time) registry.TableFunc {
	return registry.Rows(columns, now, pdbRow)
}

func pdbRow(obj storage.Object, now time.Time) ([]any, error) {
	pdb := obj.(*policyv1.PodDisruptionBudget)
	minAvailable, maxUnavailable := "N/A", "N/A"
	if pdb.Spec.MinAvailable != nil {
		minAvailable = pdb.Spec.MinAvailable.String()
	}
	if pdb.Spec.MaxUnavailable != nil {
		maxUnavailable = pdb.Spec.MaxUnavailable.String()
	}
	return []any{pdb.Name, minAvailable, maxUnavailable, int64(pdb.Status.DisruptionsAllowed), registry.Age(pdb.CreationTimestamp, now)}, nil
}
