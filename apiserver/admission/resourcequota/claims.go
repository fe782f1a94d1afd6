package resourcequota

import (
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/skiff-dev/skiff/apiserver/admission"
)

// storageClassSuffix scopes claim usage by class:
// <class>.storageclass.storage.k8s.io/<resource>.
const storageClassSuffix = ".storageclass.storage.k8s.io/"

var pvcResources = []corev1.ResourceName{corev1.ResourcePersistentVolumeClaims, corev1.ResourceRequestsStorage}

var pvcCountName = ObjectCountName(schema.GroupResource{Resource: "persistentvolumeclaims"})

// pvcEvaluator counts claims and the storage they request, in all and per
// storage class, on create and on update (resizes).
type pvcEvaluator struct{}

func (pvcEvaluator) handles(op admission.Operation) bool {
	return op == admission.Create || op == admission.Update
}

func (e pvcEvaluator) matches(q *corev1.ResourceQuota, obj runtime.Object) (bool, error) {
	return matches(q, obj, e.matchingResources, noScope)
}

func (pvcEvaluator) matchingResources(input []corev1.ResourceName) []corev1.ResourceName {
	var out []corev1.ResourceName
	for _, n := range input {
		if n == pvcCountName || n == corev1.ResourcePersistentVolumeClaims || n == corev1.ResourceRequestsStorage {
			out = append(out, n)
			continue
		}
		for _, r := range pvcResources {
			if strings.HasSuffix(string(n), storageClassSuffix+string(r)) {
				out = append(out, n)
				break
			}
		}
	}
	return out
}

func (pvcEvaluator) constraints([]corev1.ResourceName, runtime.Object) error { return nil }

func (pvcEvaluator) usage(obj runtime.Object) (corev1.ResourceList, error) {
	pvc, ok := obj.(*corev1.PersistentVolumeClaim)
	if !ok || pvc == nil {
		return nil, fmt.Errorf("unexpected type %T", obj)
	}
	one := *resource.NewQuantity(1, resource.DecimalSI)
	out := corev1.ResourceList{corev1.ResourcePersistentVolumeClaims: one, pvcCountName: one}
	class := claimClass(pvc)
	if class != "" {
		out[corev1.ResourceName(class+storageClassSuffix+string(corev1.ResourcePersistentVolumeClaims))] = one
	}
	if req, ok := pvc.Spec.Resources.Requests[corev1.ResourceStorage]; ok {
		// Storage is counted in whole bytes.
		q := req.DeepCopy()
		q.RoundUp(0)
		out[corev1.ResourceRequestsStorage] = q
		if class != "" {
			out[corev1.ResourceName(class+storageClassSuffix+string(corev1.ResourceRequestsStorage))] = q
		}
	}
	return out, nil
}

// claimClass is the claim's class: the beta annotation, else the spec's.
func claimClass(pvc *corev1.PersistentVolumeClaim) string {
	if c, ok := pvc.Annotations[corev1.BetaStorageClassAnnotation]; ok {
		return c
	}
	if pvc.Spec.StorageClassName != nil {
		return *pvc.Spec.StorageClassName
	}
	return ""
}
