package noderestriction

import (
	"context"
	"fmt"

	authenticationv1 "k8s.io/api/authentication/v1"
	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"

	"github.com/skiff-dev/skiff/apiserver/admission"
)

// admitPVCStatus lets a node change only a claim's status capacity and
// conditions.
func admitPVCStatus(nodeName string, a *admission.Attributes) error {
	if a.Operation != admission.Update {
		return admission.NewForbidden(a, fmt.Errorf("unexpected operation %q", a.Operation))
	}
	oldPVC, ok := a.OldObject.(*corev1.PersistentVolumeClaim)
	if !ok || oldPVC == nil {
		return admission.NewForbidden(a, fmt.Errorf("unexpected type %T", a.OldObject))
	}
	newPVC, ok := a.Object.(*corev1.PersistentVolumeClaim)
	if !ok || newPVC == nil {
		return admission.NewForbidden(a, fmt.Errorf("unexpected type %T", a.Object))
	}
	oldPVC, newPVC = oldPVC.DeepCopy(), newPVC.DeepCopy()
	for _, c := range []*corev1.PersistentVolumeClaim{oldPVC, newPVC} {
		// An unconditional update leaves the resourceVersion out.
		c.ResourceVersion = ""
		c.Status.Capacity = nil
		c.Status.Conditions = nil
		c.ManagedFields = nil
	}
	if !apiequality.Semantic.DeepEqual(oldPVC, newPVC) {
		return admission.NewForbidden(a, fmt.Errorf("node %q is not allowed to update fields other than status.capacity and status.conditions: %s", nodeName, pvcDiff(oldPVC, newPVC)))
	}
	return nil
}

// pvcDiff names the parts of a claim that differ (upstream prints a full
// cmp.Diff here).
func pvcDiff(a, b *corev1.PersistentVolumeClaim) string {
	var parts []string
	if !apiequality.Semantic.DeepEqual(a.ObjectMeta, b.ObjectMeta) {
		parts = append(parts, "metadata")
	}
	if !apiequality.Semantic.DeepEqual(a.Spec, b.Spec) {
		parts = append(parts, "spec")
	}
	if !apiequality.Semantic.DeepEqual(a.Status, b.Status) {
		parts = append(parts, "status")
	}
	return fmt.Sprintf("%v changed", parts)
}

// admitServiceAccount lets a node request tokens only bound to a pod
// scheduled on it.
func (p *Plugin) admitServiceAccount(ctx context.Context, nodeName string, a *admission.Attributes) error {
	if a.Operation != admission.Create || a.Subresource != "token" {
		return nil
	}
	tr, ok := a.Object.(*authenticationv1.TokenRequest)
	if !ok || tr == nil {
		return admission.NewForbidden(a, fmt.Errorf("unexpected type %T", a.Object))
	}
	ref := tr.Spec.BoundObjectRef
	if ref == nil || ref.APIVersion != "v1" || ref.Kind != "Pod" || ref.Name == "" {
		return admission.NewForbidden(a, fmt.Errorf("node requested token not bound to a pod"))
	}
	if ref.UID == "" {
		return admission.NewForbidden(a, fmt.Errorf("node requested token with a pod binding without a uid"))
	}
	pod, err := p.getPod(ctx, a, a.Namespace, ref.Name)
	if err != nil {
		return err
	}
	if ref.UID != pod.UID {
		return admission.NewForbidden(a, fmt.Errorf("the UID in the bound object reference (%s) does not match the UID in record. The object might have been deleted and then recreated", ref.UID))
	}
	if pod.Spec.NodeName != nodeName {
		return admission.NewForbidden(a, fmt.Errorf("node requested token bound to a pod scheduled on a different node"))
	}
	return nil
}

// admitLease lets a node touch only its own lease in kube-node-lease.
func admitLease(nodeName string, a *admission.Attributes) error {
	if a.Namespace != corev1.NamespaceNodeLease {
		return admission.NewForbidden(a, fmt.Errorf("can only access leases in the %q system namespace", corev1.NamespaceNodeLease))
	}
	if objectName(a) != nodeName {
		return admission.NewForbidden(a, fmt.Errorf("can only access node lease with the same name as the requesting node"))
	}
	return nil
}

// admitCSINode lets a node touch only its own CSINode.
func admitCSINode(nodeName string, a *admission.Attributes) error {
	if a.Operation == admission.Create {
		if _, ok := admission.Accessor(a.Object); !ok {
			return admission.NewForbidden(a, fmt.Errorf("unable to access the object name"))
		}
	}
	if objectName(a) != nodeName {
		return admission.NewForbidden(a, fmt.Errorf("can only access CSINode with the same name as the requesting node"))
	}
	return nil
}

// objectName is the name a request is about: on create the object's, else
// the request's.
func objectName(a *admission.Attributes) string {
	if a.Operation == admission.Create {
		if m, ok := admission.Accessor(a.Object); ok {
			return m.GetName()
		}
		return ""
	}
	return a.Name
}
