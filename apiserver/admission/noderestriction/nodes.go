package noderestriction

import (
	"fmt"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"

	"github.com/skiff-dev/skiff/apiserver/admission"
)

// admitNode lets a node write only its own Node, never with a config
// source, a change of its taints, or labels outside the kubelet's set.
func admitNode(nodeName string, a *admission.Attributes) error {
	requested := a.Name
	if requested == "" && a.Operation == admission.Create {
		if node, ok := a.Object.(*corev1.Node); ok && node != nil {
			requested = node.Name
		}
	}
	if requested != nodeName {
		return admission.NewForbidden(a, fmt.Errorf("node %q is not allowed to modify node %q", nodeName, requested))
	}
	switch a.Operation {
	case admission.Create:
		node, ok := a.Object.(*corev1.Node)
		if !ok || node == nil {
			return admission.NewForbidden(a, fmt.Errorf("unexpected type %T", a.Object))
		}
		if node.Spec.ConfigSource != nil {
			return admission.NewForbidden(a, fmt.Errorf("node %q is not allowed to create pods with a non-nil configSource", nodeName))
		}
		if forbidden := forbiddenLabels(modifiedLabels(node.Labels, nil)); len(forbidden) > 0 {
			return admission.NewForbidden(a, fmt.Errorf("node %q is not allowed to set the following labels: %s", nodeName, strings.Join(forbidden, ", ")))
		}
	case admission.Update:
		node, ok := a.Object.(*corev1.Node)
		if !ok || node == nil {
			return admission.NewForbidden(a, fmt.Errorf("unexpected type %T", a.Object))
		}
		old, ok := a.OldObject.(*corev1.Node)
		if !ok || old == nil {
			return admission.NewForbidden(a, fmt.Errorf("unexpected type %T", a.Object))
		}
		// Old kubelets may drop the field in a status update: only a new
		// non-nil config source is refused.
		if node.Spec.ConfigSource != nil && !apiequality.Semantic.DeepEqual(node.Spec.ConfigSource, old.Spec.ConfigSource) {
			return admission.NewForbidden(a, fmt.Errorf("node %q is not allowed to update configSource to a new non-nil configSource", nodeName))
		}
		if !apiequality.Semantic.DeepEqual(node.Spec.Taints, old.Spec.Taints) {
			return admission.NewForbidden(a, fmt.Errorf("node %q is not allowed to modify taints", nodeName))
		}
		if forbidden := forbiddenLabels(modifiedLabels(node.Labels, old.Labels)); len(forbidden) > 0 {
			return admission.NewForbidden(a, fmt.Errorf("is not allowed to modify labels: %s", strings.Join(forbidden, ", ")))
		}
	}
	return nil
}

// modifiedLabels are the keys whose values differ between a and b.
func modifiedLabels(a, b map[string]string) []string {
	set := map[string]bool{}
	for k, v := range a {
		if w, ok := b[k]; !ok || v != w {
			set[k] = true
		}
	}
	for k, v := range b {
		if w, ok := a[k]; !ok || v != w {
			set[k] = true
		}
	}
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// forbiddenLabels are the modified labels a node may not set: the
// node-restriction.kubernetes.io namespace, and kubernetes.io and k8s.io
// labels that are not the kubelet's. The answer is sorted.
func forbiddenLabels(modified []string) []string {
	var out []string
	for _, key := range modified {
		ns := labelNamespace(key)
		restricted := ns == corev1.LabelNamespaceNodeRestriction || strings.HasSuffix(ns, "."+corev1.LabelNamespaceNodeRestriction)
		if restricted || (isKubernetesLabel(ns) && !IsKubeletLabel(key)) {
			out = append(out, key)
		}
	}
	return out
}

func labelNamespace(key string) string {
	if ns, _, ok := strings.Cut(key, "/"); ok {
		return ns
	}
	return ""
}

func isKubernetesLabel(ns string) bool {
	return ns == "kubernetes.io" || strings.HasSuffix(ns, ".kubernetes.io") ||
		ns == "k8s.io" || strings.HasSuffix(ns, ".k8s.io")
}

// kubeletLabels are the kubernetes.io labels a kubelet may set on its Node.
var kubeletLabels = map[string]bool{
	corev1.LabelHostname:                true,
	corev1.LabelTopologyZone:            true,
	corev1.LabelTopologyRegion:          true,
	corev1.LabelFailureDomainBetaZone:   true,
	corev1.LabelFailureDomainBetaRegion: true,
	corev1.LabelInstanceType:            true,
	corev1.LabelInstanceTypeStable:      true,
	corev1.LabelOSStable:                true,
	corev1.LabelArchStable:              true,
	"beta.kubernetes.io/os":             true,
	"beta.kubernetes.io/arch":           true,
}

// IsKubeletLabel says whether a kubelet may set the label key on its Node:
// the well-known node labels and the [*.]kubelet.kubernetes.io and
// [*.]node.kubernetes.io namespaces.
func IsKubeletLabel(key string) bool {
	if kubeletLabels[key] {
		return true
	}
	ns := labelNamespace(key)
	for _, allowed := range []string{corev1.LabelNamespaceSuffixKubelet, corev1.LabelNamespaceSuffixNode} {
		if ns == allowed || strings.HasSuffix(ns, "."+allowed) {
			return true
		}
	}
	return false
}
