// Package defaulttolerationseconds is the DefaultTolerationSeconds
// admission plugin: pods tolerate the node.kubernetes.io/not-ready and
// node.kubernetes.io/unreachable NoExecute taints for a while (300 s by
// default) unless they say otherwise, so they are evicted from a failed
// node after that time.
package defaulttolerationseconds

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/skiff-dev/skiff/apiserver/admission"
)

// DefaultSeconds is the default of --default-not-ready-toleration-seconds
// and --default-unreachable-toleration-seconds.
const DefaultSeconds = 300

var podsResource = schema.GroupResource{Resource: "pods"}

// Plugin is the DefaultTolerationSeconds plugin (mutating).
type Plugin struct {
	admission.Handler
	notReady, unreachable int64
}

var _ admission.MutationInterface = (*Plugin)(nil)

// New returns the plugin adding tolerations of notReadySeconds and
// unreachableSeconds (the two flags').
func New(notReadySeconds, unreachableSeconds int64) *Plugin {
	return &Plugin{
		Handler:     admission.NewHandler(admission.Create, admission.Update),
		notReady:    notReadySeconds,
		unreachable: unreachableSeconds,
	}
}

// Admit adds the tolerations a pod lacks.
func (p *Plugin) Admit(_ context.Context, a *admission.Attributes) error {
	if a.GroupResource() != podsResource || a.Subresource != "" {
		return nil
	}
	pod, ok := a.Object.(*corev1.Pod)
	if !ok || pod == nil {
		return apierrors.NewBadRequest(fmt.Sprintf("expected *api.Pod but got %T", a.Object))
	}
	notReady, unreachable := false, false
	for _, t := range pod.Spec.Tolerations {
		noExecute := t.Effect == corev1.TaintEffectNoExecute || t.Effect == ""
		if noExecute && (t.Key == corev1.TaintNodeNotReady || t.Key == "") {
			notReady = true
		}
		if noExecute && (t.Key == corev1.TaintNodeUnreachable || t.Key == "") {
			unreachable = true
		}
	}
	if !notReady {
		pod.Spec.Tolerations = append(pod.Spec.Tolerations, toleration(corev1.TaintNodeNotReady, p.notReady))
	}
	if !unreachable {
		pod.Spec.Tolerations = append(pod.Spec.Tolerations, toleration(corev1.TaintNodeUnreachable, p.unreachable))
	}
	return nil
}

func toleration(key string, seconds int64) corev1.Toleration {
	return corev1.Toleration{Key: key, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute, TolerationSeconds: &seconds}
}
