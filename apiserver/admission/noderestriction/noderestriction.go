// Package noderestriction is the NodeRestriction admission plugin: a
// kubelet (user system:node:<name> in group system:nodes) may change only
// its own Node (not its taints, nor labels outside the kubelet's set),
// create only mirror pods bound to itself, delete, evict and update the
// status of only the pods bound to it, update only the status of claims,
// request tokens only for pods bound to it, and touch only its own Lease
// and CSINode.
package noderestriction

import (
	"context"
	"fmt"
	"strings"

	"go.uber.org/zap"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/skiff-dev/skiff/apiserver/admission"
	"github.com/skiff-dev/skiff/apiserver/authentication"
)

// PodGetter reads a pod; a missing one is an error for which
// admission.IsNotFound is true.
type PodGetter interface {
	GetPod(ctx context.Context, namespace, name string) (*corev1.Pod, error)
}

// NodeGetter reads a node; a missing one is an error for which
// admission.IsNotFound is true.
type NodeGetter interface {
	GetNode(ctx context.Context, name string) (*corev1.Node, error)
}

const nodeUserPrefix = "system:node:"

var (
	podResource     = schema.GroupResource{Resource: "pods"}
	nodeResource    = schema.GroupResource{Resource: "nodes"}
	pvcResource     = schema.GroupResource{Resource: "persistentvolumeclaims"}
	svcacctResource = schema.GroupResource{Resource: "serviceaccounts"}
	leaseResource   = schema.GroupResource{Group: "coordination.k8s.io", Resource: "leases"}
	csiNodeResource = schema.GroupResource{Group: "storage.k8s.io", Resource: "csinodes"}
)

// Plugin is the NodeRestriction plugin (mutating, as upstream, though it
// changes nothing).
type Plugin struct {
	admission.Handler
	logger *zap.Logger
	pods   PodGetter
	nodes  NodeGetter
}

var _ admission.MutationInterface = (*Plugin)(nil)

// New returns the plugin reading pods and nodes from the given getters
// (watch caches, as upstream's listers).
func New(logger *zap.Logger, pods PodGetter, nodes NodeGetter) *Plugin {
	if logger == nil {
		logger = zap.NewNop()
	}
	return &Plugin{
		Handler: admission.NewHandler(admission.Create, admission.Update, admission.Delete),
		logger:  logger,
		pods:    pods,
		nodes:   nodes,
	}
}

// NodeIdentity returns the node a user is (true when the user is a node:
// named system:node:<name> and in group system:nodes; the name may then be
// empty).
func NodeIdentity(u *authentication.User) (string, bool) {
	if u == nil || !strings.HasPrefix(u.Name, nodeUserPrefix) || !u.InGroup(authentication.NodesGroup) {
		return "", false
	}
	return strings.TrimPrefix(u.Name, nodeUserPrefix), true
}

// Admit restricts what nodes may write.
func (p *Plugin) Admit(ctx context.Context, a *admission.Attributes) error {
	nodeName, isNode := NodeIdentity(a.User)
	if !isNode {
		return nil
	}
	if nodeName == "" {
		return admission.NewForbidden(a, fmt.Errorf("could not determine node from user %q", a.User.Name))
	}
	var err error
	switch a.GroupResource() {
	case podResource:
		switch a.Subresource {
		case "":
			err = p.admitPod(ctx, nodeName, a)
		case "status":
			err = admitPodStatus(nodeName, a)
		case "eviction":
			err = p.admitPodEviction(ctx, nodeName, a)
		default:
			err = admission.NewForbidden(a, fmt.Errorf("unexpected pod subresource %q, only 'status' and 'eviction' are allowed", a.Subresource))
		}
	case nodeResource:
		err = admitNode(nodeName, a)
	case pvcResource:
		if a.Subresource != "status" {
			err = admission.NewForbidden(a, fmt.Errorf("may only update PVC status"))
		} else {
			err = admitPVCStatus(nodeName, a)
		}
	case svcacctResource:
		err = p.admitServiceAccount(ctx, nodeName, a)
	case leaseResource:
		err = admitLease(nodeName, a)
	case csiNodeResource:
		err = admitCSINode(nodeName, a)
	}
	if err != nil {
		p.logger.Debug("node request refused", zap.String("node", nodeName),
			zap.String("resource", a.GroupResource().String()), zap.String("subresource", a.Subresource),
			zap.String("namespace", a.Namespace), zap.String("name", a.Name), zap.Error(err))
	}
	return err
}

// getPod reads a pod, answering NotFound as upstream's lister does
// (`pod "x" not found`) and other failures as a Forbidden of a.
func (p *Plugin) getPod(ctx context.Context, a *admission.Attributes, namespace, name string) (*corev1.Pod, error) {
	pod, err := p.pods.GetPod(ctx, namespace, name)
	switch {
	case err == nil && pod != nil:
		return pod, nil
	case err == nil || admission.IsNotFound(err):
		return nil, apierrors.NewNotFound(schema.GroupResource{Resource: "pod"}, name)
	}
	return nil, admission.NewForbidden(a, err)
}
