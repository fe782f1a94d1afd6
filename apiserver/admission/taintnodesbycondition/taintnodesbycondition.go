// Package taintnodesbycondition is the TaintNodesByCondition admission
// plugin: a new Node starts with the node.kubernetes.io/not-ready
// NoSchedule taint, so nothing is scheduled on it before the node
// lifecycle controller sees it ready and removes the taint.
package taintnodesbycondition

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/skiff-dev/skiff/apiserver/admission"
)

var nodesResource = schema.GroupResource{Resource: "nodes"}

// Plugin is the TaintNodesByCondition plugin (mutating).
type Plugin struct {
	admission.Handler
}

var _ admission.MutationInterface = (*Plugin)(nil)

// New returns the plugin.
func New() *Plugin { return &Plugin{Handler: admission.NewHandler(admission.Create)} }

// Admit taints a new node not-ready unless it already is.
func (p *Plugin) Admit(_ context.Context, a *admission.Attributes) error {
	if a.GroupResource() != nodesResource || a.Subresource != "" {
		return nil
	}
	node, ok := a.Object.(*corev1.Node)
	if !ok || node == nil {
		return admission.NewForbidden(a, fmt.Errorf("unexpected type %T", a.Object))
	}
	taint := corev1.Taint{Key: corev1.TaintNodeNotReady, Effect: corev1.TaintEffectNoSchedule}
	for i := range node.Spec.Taints {
		if node.Spec.Taints[i].MatchTaint(&taint) {
			return nil
		}
	}
	node.Spec.Taints = append(node.Spec.Taints, taint)
	return nil
}
