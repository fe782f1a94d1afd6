package resourcequota

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/skiff-dev/skiff/apiserver/admission"
)

var serviceResources = []corev1.ResourceName{
	ObjectCountName(schema.GroupResource{Resource: "services"}),
	corev1.ResourceServices,
	corev1.ResourceServicesNodePorts,
	corev1.ResourceServicesLoadBalancers,
}

// serviceEvaluator counts services and their node ports and load
// balancers, on create and on update (the type can change).
type serviceEvaluator struct{}

func (serviceEvaluator) handles(op admission.Operation) bool {
	return op == admission.Create || op == admission.Update
}

func (e serviceEvaluator) matches(q *corev1.ResourceQuota, obj runtime.Object) (bool, error) {
	return matches(q, obj, e.matchingResources, noScope)
}

func (serviceEvaluator) matchingResources(input []corev1.ResourceName) []corev1.ResourceName {
	return intersection(input, serviceResources)
}

func (serviceEvaluator) constraints([]corev1.ResourceName, runtime.Object) error { return nil }

func (serviceEvaluator) usage(obj runtime.Object) (corev1.ResourceList, error) {
	svc, ok := obj.(*corev1.Service)
	if !ok || svc == nil {
		return nil, fmt.Errorf("unexpected type %T", obj)
	}
	one := *resource.NewQuantity(1, resource.DecimalSI)
	out := corev1.ResourceList{
		serviceResources[0]:                  one,
		corev1.ResourceServices:              one,
		corev1.ResourceServicesLoadBalancers: resource.Quantity{Format: resource.DecimalSI},
		corev1.ResourceServicesNodePorts:     resource.Quantity{Format: resource.DecimalSI},
	}
	ports := int64(len(svc.Spec.Ports))
	switch svc.Spec.Type {
	case corev1.ServiceTypeNodePort:
		out[corev1.ResourceServicesNodePorts] = *resource.NewQuantity(ports, resource.DecimalSI)
	case corev1.ServiceTypeLoadBalancer:
		if svc.Spec.AllocateLoadBalancerNodePorts != nil && !*svc.Spec.AllocateLoadBalancerNodePorts {
			// Only ports given a node port explicitly get one.
			ports = 0
			for _, p := range svc.Spec.Ports {
				if p.NodePort != 0 {
					ports++
				}
			}
		}
		out[corev1.ResourceServicesNodePorts] = *resource.NewQuantity(ports, resource.DecimalSI)
		out[corev1.ResourceServicesLoadBalancers] = one
	}
	return out, nil
}
