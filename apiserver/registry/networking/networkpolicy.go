package networking

import (
	"context"
	"time"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	metav1validation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/registry/betadocs"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

func networkPolicyResource(now func() time.Time) *registry.Resource {
	return &registry.Resource{
		GVR:           networkingv1.SchemeGroupVersion.WithResource("networkpolicies"),
		Kind:          "NetworkPolicy",
		SingularName:  "networkpolicy",
		Namespaced:    true,
		ShortNames:    []string{"netpol"},
		StoragePrefix: "networkpolicies",
		New:           func() storage.Object { return &networkingv1.NetworkPolicy{} },
		NewList:       func() runtime.Object { return &networkingv1.NetworkPolicyList{} },
		Strategy:      networkPolicyStrategy{},
		Table:         networkPolicyTable(now),
	}
}

// networkPolicyStrategy: generation starts at 1 and moves with the spec.
type networkPolicyStrategy struct{ registry.Plain }

// Default is upstream's SetDefaults_NetworkPolicy and _NetworkPolicyPort.
func (networkPolicyStrategy) Default(obj storage.Object) {
	spec := &obj.(*networkingv1.NetworkPolicy).Spec
	for i := range spec.Ingress {
		defaultPorts(spec.Ingress[i].Ports)
	}
	for i := range spec.Egress {
		defaultPorts(spec.Egress[i].Ports)
	}
	if len(spec.PolicyTypes) == 0 {
		spec.PolicyTypes = []networkingv1.PolicyType{networkingv1.PolicyTypeIngress}
		if len(spec.Egress) != 0 {
			spec.PolicyTypes = append(spec.PolicyTypes, networkingv1.PolicyTypeEgress)
		}
	}
}

func defaultPorts(ports []networkingv1.NetworkPolicyPort) {
	for i := range ports {
		if ports[i].Protocol == nil {
			tcp := corev1.ProtocolTCP
			ports[i].Protocol = &tcp
		}
	}
}

func (networkPolicyStrategy) PrepareForCreate(_ context.Context, obj storage.Object) {
	obj.SetGeneration(1)
}

func (networkPolicyStrategy) Validate(_ context.Context, obj storage.Object) field.ErrorList {
	return validateNetworkPolicySpec(&obj.(*networkingv1.NetworkPolicy).Spec, false, field.NewPath("spec"))
}

// ValidateUpdate tolerates invalid label values in selectors when the
// stored policy's pod selector already had them, as upstream.
func (networkPolicyStrategy) ValidateUpdate(_ context.Context, obj, old storage.Object) field.ErrorList {
	oldSel := &old.(*networkingv1.NetworkPolicy).Spec.PodSelector
	allowInvalid := len(metav1validation.ValidateLabelSelector(oldSel, metav1validation.LabelSelectorValidationOptions{}, nil)) > 0
	return validateNetworkPolicySpec(&obj.(*networkingv1.NetworkPolicy).Spec, allowInvalid, field.NewPath("spec"))
}

var networkPolicyColumns = []metav1.TableColumnDefinition{
	registry.NameColumn,
	{Name: "Pod-Selector", Type: "string", Description: betadocs.NetworkPolicySpecPodSelector},
	registry.AgeColumn,
}

func networkPolicyTable(now func() time.Time) registry.TableFunc {
	return registry.Rows(networkPolicyColumns, now, networkPolicyRow)
}

func networkPolicyRow(obj storage.Object, now time.Time) ([]any, error) {
	np := obj.(*networkingv1.NetworkPolicy)
	return []any{np.Name, metav1.FormatLabelSelector(&np.Spec.PodSelector), registry.Age(np.CreationTimestamp, now)}, nil
}
