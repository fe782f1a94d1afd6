package core

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

func nodesResource(now func() time.Time) *registry.Resource {
	return &registry.Resource{
		GVR:              gvr("nodes"),
		Kind:             "Node",
		SingularName:     "node",
		ShortNames:       []string{"no"},
		StoragePrefix:    "minions",
		New:              func() storage.Object { return &corev1.Node{} },
		NewList:          func() runtime.Object { return &corev1.NodeList{} },
		Strategy:         nodeStrategy{},
		Status:           nodeStatusStrategy{},
		GetAttrs:         nodeAttrs,
		SelectableFields: []string{"spec.unschedulable"},
		Table:            registry.Rows(nodeColumns, now, nodeRow),
	}
}

// nodeStrategy: the kubelet creates its node with a status, so the status
// is kept on create (and kept from the old object on update); the
// deprecated configSource may not be set anew.
type nodeStrategy struct{}

// Default makes allocatable equal to capacity when it is unset.
func (nodeStrategy) Default(obj storage.Object) {
	n, ok := obj.(*corev1.Node)
	if !ok {
		return
	}
	if n.Status.Allocatable == nil && n.Status.Capacity != nil {
		n.Status.Allocatable = make(corev1.ResourceList, len(n.Status.Capacity))
		for k, v := range n.Status.Capacity {
			n.Status.Allocatable[k] = v.DeepCopy()
		}
	}
}

// PrepareForCreate drops the dynamic kubelet config fields.
func (nodeStrategy) PrepareForCreate(_ context.Context, obj storage.Object) {
	if n, ok := obj.(*corev1.Node); ok {
		n.Spec.ConfigSource = nil
		n.Status.Config = nil
	}
}

// PrepareForUpdate keeps the status and drops a new configSource.
func (nodeStrategy) PrepareForUpdate(_ context.Context, obj, old storage.Object) {
	n, ok1 := obj.(*corev1.Node)
	oldN, ok2 := old.(*corev1.Node)
	if !ok1 || !ok2 {
		return
	}
	n.Status = oldN.Status
	dropNodeConfigSource(n, oldN)
}

// dropNodeConfigSource clears spec.configSource unless the old node used it.
func dropNodeConfigSource(n, old *corev1.Node) {
	if old.Spec.ConfigSource == nil {
		n.Spec.ConfigSource = nil
	}
}

// Validate checks the node.
func (nodeStrategy) Validate(_ context.Context, obj storage.Object) field.ErrorList {
	n, ok := obj.(*corev1.Node)
	if !ok {
		return wrongType(obj)
	}
	return validateNode(n)
}

// ValidateUpdate checks the node and what may not change.
func (nodeStrategy) ValidateUpdate(_ context.Context, obj, old storage.Object) field.ErrorList {
	n, ok1 := obj.(*corev1.Node)
	oldN, ok2 := old.(*corev1.Node)
	if !ok1 || !ok2 {
		return wrongType(obj, old)
	}
	return append(validateNode(n), validateNodeUpdate(n, oldN)...)
}

// nodeStatusStrategy: only the status changes (the kubelet's heartbeat).
type nodeStatusStrategy struct{ registry.StatusOnly }

// PrepareForUpdate keeps the spec and metadata the status may not change.
func (s nodeStatusStrategy) PrepareForUpdate(ctx context.Context, obj, old storage.Object) {
	s.StatusOnly.PrepareForUpdate(ctx, obj, old)
	n, ok1 := obj.(*corev1.Node)
	oldN, ok2 := old.(*corev1.Node)
	if ok1 && ok2 {
		dropNodeConfigSource(n, oldN)
	}
}

// ValidateUpdate checks the update as the main resource does, without the
// create-time checks.
func (nodeStatusStrategy) ValidateUpdate(_ context.Context, obj, old storage.Object) field.ErrorList {
	n, ok1 := obj.(*corev1.Node)
	oldN, ok2 := old.(*corev1.Node)
	if !ok1 || !ok2 {
		return wrongType(obj, old)
	}
	return validateNodeUpdate(n, oldN)
}

func nodeAttrs(obj storage.Object) (labels.Set, fields.Set, error) {
	n, ok := obj.(*corev1.Node)
	if !ok {
		return nil, nil, unexpectedType(obj)
	}
	f := registry.MetaFields(obj)
	f["spec.unschedulable"] = fmt.Sprint(n.Spec.Unschedulable)
	return labels.Set(n.Labels), f, nil
}

const (
	nodeRolePrefix = "node-role.kubernetes.io/"
	nodeRoleLabel  = "kubernetes.io/role"
)

var (
	nodeInfoDoc   = corev1.NodeSystemInfo{}.SwaggerDoc()
	nodeStatusDoc = corev1.NodeStatus{}.SwaggerDoc()
	nodeColumns   = []metav1.TableColumnDefinition{
		registry.NameColumn,
		{Name: "Status", Type: "string", Description: "The status of the node"},
		{Name: "Roles", Type: "string", Description: "The roles of the node"},
		registry.AgeColumn,
		{Name: "Version", Type: "string", Description: nodeInfoDoc["kubeletVersion"]},
		{Name: "Internal-IP", Type: "string", Priority: 1, Description: nodeStatusDoc["addresses"]},
		{Name: "External-IP", Type: "string", Priority: 1, Description: nodeStatusDoc["addresses"]},
		{Name: "OS-Image", Type: "string", Priority: 1, Description: nodeInfoDoc["osImage"]},
		{Name: "Kernel-Version", Type: "string", Priority: 1, Description: nodeInfoDoc["kernelVersion"]},
		{Name: "Container-Runtime", Type: "string", Priority: 1, Description: nodeInfoDoc["containerRuntimeVersion"]},
	}
)

func nodeRow(obj storage.Object, now time.Time) ([]any, error) {
	n, ok := obj.(*corev1.Node)
	if !ok {
		return nil, unexpectedType(obj)
	}
	info := n.Status.NodeInfo
	return []any{
		n.Name, nodeStatus(n), orNone(strings.Join(nodeRoles(n), ",")), age(obj, now), info.KubeletVersion,
		nodeAddress(n, corev1.NodeInternalIP), nodeAddress(n, corev1.NodeExternalIP),
		orUnknown(info.OSImage), orUnknown(info.KernelVersion), orUnknown(info.ContainerRuntimeVersion),
	}, nil
}

// nodeStatus is Ready, NotReady or Unknown, then SchedulingDisabled when
// cordoned.
func nodeStatus(n *corev1.Node) string {
	status := "Unknown"
	for _, c := range n.Status.Conditions {
		if c.Type == corev1.NodeReady {
			if c.Status == corev1.ConditionTrue {
				status = string(c.Type)
			} else {
				status = "Not" + string(c.Type)
			}
		}
	}
	if n.Spec.Unschedulable {
		status += ",SchedulingDisabled"
	}
	return status
}

// nodeRoles come from node-role.kubernetes.io/<role> labels and the
// kubernetes.io/role label, sorted.
func nodeRoles(n *corev1.Node) []string {
	set := map[string]bool{}
	for k, v := range n.Labels {
		switch {
		case strings.HasPrefix(k, nodeRolePrefix):
			if role := strings.TrimPrefix(k, nodeRolePrefix); role != "" {
				set[role] = true
			}
		case k == nodeRoleLabel && v != "":
			set[v] = true
		}
	}
	roles := make([]string, 0, len(set))
	for r := range set {
		roles = append(roles, r)
	}
	sort.Strings(roles)
	return roles
}

// nodeAddress is the node's first address of the type, or "<none>".
func nodeAddress(n *corev1.Node, t corev1.NodeAddressType) string {
	for _, a := range n.Status.Addresses {
		if a.Type == t {
			return a.Address
		}
	}
	return "<none>"
}

func orUnknown(s string) string {
	if s == "" {
		return "<unknown>"
	}
	return s
}
