package noderestriction

import (
	"context"
	"errors"
	"testing"

	authenticationv1 "k8s.io/api/authentication/v1"
	coordinationv1 "k8s.io/api/coordination/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	storagev1 "k8s.io/api/storage/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"

	"github.com/skiff-dev/skiff/apiserver/admission"
	"github.com/skiff-dev/skiff/apiserver/authentication"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

type fakeGetters struct {
	pods  map[string]*corev1.Pod
	nodes map[string]*corev1.Node
	err   error
}

func (f *fakeGetters) GetPod(_ context.Context, namespace, name string) (*corev1.Pod, error) {
	if f.err != nil {
		return nil, f.err
	}
	if p, ok := f.pods[namespace+"/"+name]; ok {
		return p, nil
	}
	return nil, storage.ErrNotFound
}

func (f *fakeGetters) GetNode(_ context.Context, name string) (*corev1.Node, error) {
	if n, ok := f.nodes[name]; ok {
		return n, nil
	}
	return nil, storage.ErrNotFound
}

var node1 = &authentication.User{Name: "system:node:node1", Groups: []string{"system:nodes", "system:authenticated"}}

func gvr(group, resource string) schema.GroupVersionResource {
	return schema.GroupVersionResource{Group: group, Version: "v1", Resource: resource}
}

func attrs(op admission.Operation, res schema.GroupVersionResource, sub, ns, name string, obj, old runtime.Object) *admission.Attributes {
	a := &admission.Attributes{Operation: op, Resource: res, Subresource: sub, Namespace: ns, Name: name, User: node1}
	if obj != nil {
		a.Object = obj
	}
	if old != nil {
		a.OldObject = old
	}
	return a
}

func boolp(b bool) *bool { return &b }

func mirrorPod(mutate ...func(*corev1.Pod)) *corev1.Pod {
	p := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "static-node1", Annotations: map[string]string{corev1.MirrorPodAnnotationKey: "hash"},
			OwnerReferences: []metav1.OwnerReference{{APIVersion: "v1", Kind: "Node", Name: "node1", UID: "uid1", Controller: boolp(true)}}},
		Spec: corev1.PodSpec{NodeName: "node1", Containers: []corev1.Container{{Name: "c"}}},
	}
	for _, m := range mutate {
		m(p)
	}
	return p
}

func boundPod(name, node string) *corev1.Pod {
	return &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: name, UID: types.UID(name + "-uid")}, Spec: corev1.PodSpec{NodeName: node}}
}

func nodeObj(name string, labels map[string]string, taints ...corev1.Taint) *corev1.Node {
	return &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels}, Spec: corev1.NodeSpec{Taints: taints}}
}

func TestAdmit(t *testing.T) {
	pods, nodes := gvr("", "pods"), gvr("", "nodes")
	getters := &fakeGetters{
		pods:  map[string]*corev1.Pod{"ns/mine": boundPod("mine", "node1"), "ns/theirs": boundPod("theirs", "node2")},
		nodes: map[string]*corev1.Node{"node1": {ObjectMeta: metav1.ObjectMeta{Name: "node1", UID: "uid1"}}},
	}
	tests := []struct {
		name    string
		attrs   *admission.Attributes
		wantErr string
		check   func(error) bool
	}{
		// Pods.
		{name: "a mirror pod", attrs: attrs(admission.Create, pods, "", "ns", "static-node1", mirrorPod(), nil)},
		{name: "not a mirror pod", attrs: attrs(admission.Create, pods, "", "ns", "p", mirrorPod(func(p *corev1.Pod) { p.Annotations = nil }), nil),
			wantErr: `pods "p" is forbidden: pod does not have "kubernetes.io/config.mirror" annotation, node "node1" can only create mirror pods`},
		{name: "a mirror pod for another node", attrs: attrs(admission.Create, pods, "", "ns", "p", mirrorPod(func(p *corev1.Pod) { p.Spec.NodeName = "node2" }), nil),
			wantErr: `pods "p" is forbidden: node "node1" can only create pods with spec.nodeName set to itself`},
		{name: "no owner", attrs: attrs(admission.Create, pods, "", "ns", "p", mirrorPod(func(p *corev1.Pod) { p.OwnerReferences = nil }), nil),
			wantErr: `pods "p" is forbidden: node "node1" can only create pods with an owner reference set to itself`},
		{name: "not a controller owner", attrs: attrs(admission.Create, pods, "", "ns", "p", mirrorPod(func(p *corev1.Pod) { p.OwnerReferences[0].Controller = nil }), nil),
			wantErr: `pods "p" is forbidden: node "node1" can only create pods with a controller owner reference set to itself`},
		{name: "blockOwnerDeletion", attrs: attrs(admission.Create, pods, "", "ns", "p", mirrorPod(func(p *corev1.Pod) { p.OwnerReferences[0].BlockOwnerDeletion = boolp(true) }), nil),
			wantErr: `pods "p" is forbidden: node "node1" must not set blockOwnerDeletion on an owner reference`},
		{name: "a stale node UID", attrs: attrs(admission.Create, pods, "", "ns", "p", mirrorPod(func(p *corev1.Pod) { p.OwnerReferences[0].UID = "old" }), nil),
			wantErr: `pods "p" is forbidden: node node1 UID mismatch: expected old got uid1`},
		{name: "a mirror pod with a secret", attrs: attrs(admission.Create, pods, "", "ns", "p", mirrorPod(func(p *corev1.Pod) {
			p.Spec.Volumes = []corev1.Volume{{Name: "s", VolumeSource: corev1.VolumeSource{Secret: &corev1.SecretVolumeSource{SecretName: "s"}}}}
		}), nil), wantErr: `pods "p" is forbidden: node "node1" can not create pods that reference secrets`},
		{name: "a mirror pod with a configmap", attrs: attrs(admission.Create, pods, "", "ns", "p", mirrorPod(func(p *corev1.Pod) {
			p.Spec.Volumes = []corev1.Volume{{Name: "c", VolumeSource: corev1.VolumeSource{ConfigMap: &corev1.ConfigMapVolumeSource{LocalObjectReference: corev1.LocalObjectReference{Name: "c"}}}}}
		}), nil), wantErr: `pods "p" is forbidden: node "node1" can not create pods that reference configmaps`},
		{name: "a mirror pod with a claim", attrs: attrs(admission.Create, pods, "", "ns", "p", mirrorPod(func(p *corev1.Pod) {
			p.Spec.Volumes = []corev1.Volume{{Name: "c", VolumeSource: corev1.VolumeSource{PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: "c"}}}}
		}), nil), wantErr: `pods "p" is forbidden: node "node1" can not create pods that reference persistentvolumeclaims`},
		{name: "a mirror pod with a service account", attrs: attrs(admission.Create, pods, "", "ns", "p", mirrorPod(func(p *corev1.Pod) { p.Spec.ServiceAccountName = "default" }), nil),
			wantErr: `pods "p" is forbidden: node "node1" can not create pods that reference a service account`},
		{name: "deleting a pod bound to it", attrs: attrs(admission.Delete, pods, "", "ns", "mine", nil, nil)},
		{name: "deleting another node's pod", attrs: attrs(admission.Delete, pods, "", "ns", "theirs", nil, nil),
			wantErr: `pods "theirs" is forbidden: node "node1" can only delete pods with spec.nodeName set to itself`},
		{name: "deleting a missing pod", attrs: attrs(admission.Delete, pods, "", "ns", "gone", nil, nil),
			wantErr: `pod "gone" not found`, check: apierrors.IsNotFound},
		{name: "updating a pod", attrs: attrs(admission.Update, pods, "", "ns", "mine", boundPod("mine", "node1"), boundPod("mine", "node1")),
			wantErr: `pods "mine" is forbidden: unexpected operation "UPDATE", node "node1" can only create and delete mirror pods`},
		{name: "status of its pod", attrs: attrs(admission.Update, pods, "status", "ns", "mine", boundPod("mine", "node1"), boundPod("mine", "node1"))},
		{name: "status of another node's pod", attrs: attrs(admission.Update, pods, "status", "ns", "theirs", boundPod("theirs", "node2"), boundPod("theirs", "node2")),
			wantErr: `pods "theirs" is forbidden: node "node1" can only update pod status for pods with spec.nodeName set to itself`},
		{name: "labels through status", attrs: attrs(admission.Update, pods, "status", "ns", "mine", func() *corev1.Pod {
			p := boundPod("mine", "node1")
			p.Labels = map[string]string{"a": "b"}
			return p
		}(), boundPod("mine", "node1")), wantErr: `pods "mine" is forbidden: node "node1" cannot update labels through pod status`},
		{name: "evicting its pod", attrs: attrs(admission.Create, pods, "eviction", "ns", "mine", &policyv1.Eviction{ObjectMeta: metav1.ObjectMeta{Name: "mine"}}, nil)},
		{name: "evicting by the body's name", attrs: attrs(admission.Create, pods, "eviction", "ns", "", &policyv1.Eviction{ObjectMeta: metav1.ObjectMeta{Name: "theirs"}}, nil),
			wantErr: `pods "theirs" is forbidden: node node1 can only evict pods with spec.nodeName set to itself`},
		{name: "evicting with another kind", attrs: attrs(admission.Create, pods, "eviction", "ns", "mine", boundPod("mine", "node1"), nil),
			wantErr: `pods "mine" is forbidden: unexpected type *v1.Pod`},
		{name: "evicting a missing pod", attrs: attrs(admission.Create, pods, "eviction", "ns", "gone", &policyv1.Eviction{ObjectMeta: metav1.ObjectMeta{Name: "gone"}}, nil),
			wantErr: `pod "gone" not found`, check: apierrors.IsNotFound},
		{name: "evicting with no name", attrs: attrs(admission.Create, pods, "eviction", "ns", "", &policyv1.Eviction{}, nil),
			wantErr: `pods "Unknown" is forbidden: could not determine pod from request data`},
		{name: "another subresource", attrs: attrs(admission.Create, pods, "binding", "ns", "mine", &corev1.Binding{}, nil),
			wantErr: `pods "mine" is forbidden: unexpected pod subresource "binding", only 'status' and 'eviction' are allowed`},
		// Nodes.
		{name: "registering itself", attrs: attrs(admission.Create, nodes, "", "", "node1", nodeObj("node1", map[string]string{
			"kubernetes.io/hostname": "node1", "node.kubernetes.io/instance-type": "m", "topology.kubernetes.io/zone": "a",
			"kubelet.kubernetes.io/x": "1", "example.com/team": "a", "beta.kubernetes.io/arch": "amd64",
		}), nil)},
		{name: "registering by the body's name", attrs: attrs(admission.Create, nodes, "", "", "", nodeObj("node1", nil), nil)},
		{name: "registering another node", attrs: attrs(admission.Create, nodes, "", "", "node2", nodeObj("node2", nil), nil),
			wantErr: `nodes "node2" is forbidden: node "node1" is not allowed to modify node "node2"`},
		{name: "registering with restricted labels", attrs: attrs(admission.Create, nodes, "", "", "node1", nodeObj("node1", map[string]string{
			"node-restriction.kubernetes.io/pool": "a", "node-role.kubernetes.io/master": "", "foo.k8s.io/bar": "x",
		}), nil), wantErr: `nodes "node1" is forbidden: node "node1" is not allowed to set the following labels: foo.k8s.io/bar, node-restriction.kubernetes.io/pool, node-role.kubernetes.io/master`},
		{name: "updating its taints", attrs: attrs(admission.Update, nodes, "", "", "node1", nodeObj("node1", nil), nodeObj("node1", nil, corev1.Taint{Key: "k", Effect: "NoSchedule"})),
			wantErr: `nodes "node1" is forbidden: node "node1" is not allowed to modify taints`},
		{name: "updating a restricted label", attrs: attrs(admission.Update, nodes, "status", "", "node1",
			nodeObj("node1", map[string]string{"node-restriction.kubernetes.io/pool": "b"}), nodeObj("node1", map[string]string{"node-restriction.kubernetes.io/pool": "a"})),
			wantErr: `nodes "node1" is forbidden: is not allowed to modify labels: node-restriction.kubernetes.io/pool`},
		{name: "updating allowed labels", attrs: attrs(admission.Update, nodes, "", "", "node1",
			nodeObj("node1", map[string]string{"topology.kubernetes.io/zone": "b", "mine": "x"}), nodeObj("node1", map[string]string{"topology.kubernetes.io/zone": "a"}))},
		{name: "deleting another node", attrs: attrs(admission.Delete, nodes, "", "", "node2", nil, nil),
			wantErr: `nodes "node2" is forbidden: node "node1" is not allowed to modify node "node2"`},
		// Claims.
		{name: "claim spec", attrs: attrs(admission.Update, gvr("", "persistentvolumeclaims"), "", "ns", "c", &corev1.PersistentVolumeClaim{}, &corev1.PersistentVolumeClaim{}),
			wantErr: `persistentvolumeclaims "c" is forbidden: may only update PVC status`},
		{name: "claim capacity", attrs: attrs(admission.Update, gvr("", "persistentvolumeclaims"), "status", "ns", "c",
			&corev1.PersistentVolumeClaim{Status: corev1.PersistentVolumeClaimStatus{Conditions: []corev1.PersistentVolumeClaimCondition{{Type: "Resizing"}}}},
			&corev1.PersistentVolumeClaim{ObjectMeta: metav1.ObjectMeta{ResourceVersion: "5"}})},
		{name: "claim phase", attrs: attrs(admission.Update, gvr("", "persistentvolumeclaims"), "status", "ns", "c",
			&corev1.PersistentVolumeClaim{Status: corev1.PersistentVolumeClaimStatus{Phase: "Bound"}}, &corev1.PersistentVolumeClaim{}),
			wantErr: `persistentvolumeclaims "c" is forbidden: node "node1" is not allowed to update fields other than status.capacity and status.conditions: [status] changed`},
		// Tokens.
		{name: "a token for its pod", attrs: attrs(admission.Create, gvr("", "serviceaccounts"), "token", "ns", "default", tokenRequest("mine", "mine-uid"), nil)},
		{name: "a token for another node's pod", attrs: attrs(admission.Create, gvr("", "serviceaccounts"), "token", "ns", "default", tokenRequest("theirs", "theirs-uid"), nil),
			wantErr: `serviceaccounts "default" is forbidden: node requested token bound to a pod scheduled on a different node`},
		{name: "an unbound token", attrs: attrs(admission.Create, gvr("", "serviceaccounts"), "token", "ns", "default", &authenticationv1.TokenRequest{}, nil),
			wantErr: `serviceaccounts "default" is forbidden: node requested token not bound to a pod`},
		{name: "a token without a pod UID", attrs: attrs(admission.Create, gvr("", "serviceaccounts"), "token", "ns", "default", tokenRequest("mine", ""), nil),
			wantErr: `serviceaccounts "default" is forbidden: node requested token with a pod binding without a uid`},
		{name: "a token for a recreated pod", attrs: attrs(admission.Create, gvr("", "serviceaccounts"), "token", "ns", "default", tokenRequest("mine", "old"), nil),
			wantErr: `serviceaccounts "default" is forbidden: the UID in the bound object reference (old) does not match the UID in record. The object might have been deleted and then recreated`},
		// Leases and CSINodes.
		{name: "its lease", attrs: attrs(admission.Create, gvr("coordination.k8s.io", "leases"), "", "kube-node-lease", "", &coordinationv1.Lease{ObjectMeta: metav1.ObjectMeta{Name: "node1"}}, nil)},
		{name: "another lease", attrs: attrs(admission.Update, gvr("coordination.k8s.io", "leases"), "", "kube-node-lease", "node2", &coordinationv1.Lease{}, &coordinationv1.Lease{}),
			wantErr: `leases.coordination.k8s.io "node2" is forbidden: can only access node lease with the same name as the requesting node`},
		{name: "a lease elsewhere", attrs: attrs(admission.Update, gvr("coordination.k8s.io", "leases"), "", "kube-system", "node1", &coordinationv1.Lease{}, &coordinationv1.Lease{}),
			wantErr: `leases.coordination.k8s.io "node1" is forbidden: can only access leases in the "kube-node-lease" system namespace`},
		{name: "its CSINode", attrs: attrs(admission.Create, gvr("storage.k8s.io", "csinodes"), "", "", "", &storagev1.CSINode{ObjectMeta: metav1.ObjectMeta{Name: "node1"}}, nil)},
		{name: "another CSINode", attrs: attrs(admission.Delete, gvr("storage.k8s.io", "csinodes"), "", "", "node2", nil, nil),
			wantErr: `csinodes.storage.k8s.io "node2" is forbidden: can only access CSINode with the same name as the requesting node`},
		// Everything else.
		{name: "configmaps are not restricted", attrs: attrs(admission.Create, gvr("", "configmaps"), "", "ns", "c", &corev1.ConfigMap{}, nil)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := New(nil, getters, getters).Admit(context.Background(), tt.attrs)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Admit: %v", err)
				}
				return
			}
			check := tt.check
			if check == nil {
				check = apierrors.IsForbidden
			}
			if err == nil || err.Error() != tt.wantErr || !check(err) {
				t.Fatalf("Admit = %v, want %q", err, tt.wantErr)
			}
		})
	}
}

func tokenRequest(pod string, uid types.UID) *authenticationv1.TokenRequest {
	return &authenticationv1.TokenRequest{Spec: authenticationv1.TokenRequestSpec{
		BoundObjectRef: &authenticationv1.BoundObjectReference{APIVersion: "v1", Kind: "Pod", Name: pod, UID: uid},
	}}
}

func TestIdentity(t *testing.T) {
	tests := []struct {
		user     *authentication.User
		wantName string
		wantNode bool
	}{
		{user: nil},
		{user: &authentication.User{Name: "system:node:a"}},
		{user: &authentication.User{Name: "alice", Groups: []string{"system:nodes"}}},
		{user: &authentication.User{Name: "system:node:a", Groups: []string{"system:nodes"}}, wantName: "a", wantNode: true},
		{user: &authentication.User{Name: "system:node:", Groups: []string{"system:nodes"}}, wantNode: true},
	}
	for _, tt := range tests {
		name, ok := NodeIdentity(tt.user)
		if name != tt.wantName || ok != tt.wantNode {
			t.Errorf("NodeIdentity(%+v) = %q, %v", tt.user, name, ok)
		}
	}
	p := New(nil, &fakeGetters{}, &fakeGetters{})
	a := attrs(admission.Create, gvr("", "pods"), "", "ns", "p", mirrorPod(), nil)
	a.User = &authentication.User{Name: "system:node:", Groups: []string{"system:nodes"}}
	if err := p.Admit(context.Background(), a); err == nil || err.Error() != `pods "p" is forbidden: could not determine node from user "system:node:"` {
		t.Fatalf("Admit = %v", err)
	}
	// Other users are not restricted.
	a.User = &authentication.User{Name: "admin", Groups: []string{"system:masters"}}
	if err := p.Admit(context.Background(), a); err != nil {
		t.Fatalf("admin: %v", err)
	}
}

func TestGetterFailure(t *testing.T) {
	p := New(nil, &fakeGetters{err: errors.New("boom")}, &fakeGetters{})
	err := p.Admit(context.Background(), attrs(admission.Delete, gvr("", "pods"), "", "ns", "mine", nil, nil))
	if !apierrors.IsForbidden(err) || err.Error() != `pods "mine" is forbidden: boom` {
		t.Fatalf("Admit = %v", err)
	}
}
