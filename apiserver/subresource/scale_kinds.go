package subresource

import (
	"fmt"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/skiff-dev/skiff/apiserver/storage"
)

// Scalable is a kind served with a scale subresource: how its desired and
// current replica counts and its selector are read, and its desired count
// set.
type Scalable struct {
	GVR schema.GroupVersionResource
	// read returns spec.replicas, status.replicas and the selector as a
	// string.
	read func(obj storage.Object) (spec, status int32, selector string, err error)
	// write sets spec.replicas.
	write func(obj storage.Object, replicas int32) error
}

// Scalables are the kinds upstream serves scale for: apps/v1
// deployments, replicasets and statefulsets, core/v1
// replicationcontrollers.
func Scalables() []Scalable {
	return []Scalable{
		{GVR: appsv1.SchemeGroupVersion.WithResource("deployments"), read: readDeployment, write: writeDeployment},
		{GVR: appsv1.SchemeGroupVersion.WithResource("replicasets"), read: readReplicaSet, write: writeReplicaSet},
		{GVR: appsv1.SchemeGroupVersion.WithResource("statefulsets"), read: readStatefulSet, write: writeStatefulSet},
		{GVR: corev1.SchemeGroupVersion.WithResource("replicationcontrollers"), read: readRC, write: writeRC},
	}
}

func replicas(p *int32) int32 {
	if p == nil {
		return 0
	}
	return *p
}

func selectorString(s *metav1.LabelSelector) (string, error) {
	sel, err := metav1.LabelSelectorAsSelector(s)
	if err != nil {
		return "", err
	}
	return sel.String(), nil
}

func wrongKind(obj storage.Object) error { return fmt.Errorf("unexpected object %T", obj) }

func readDeployment(obj storage.Object) (int32, int32, string, error) {
	d, ok := obj.(*appsv1.Deployment)
	if !ok {
		return 0, 0, "", wrongKind(obj)
	}
	sel, err := selectorString(d.Spec.Selector)
	return replicas(d.Spec.Replicas), d.Status.Replicas, sel, err
}

func writeDeployment(obj storage.Object, n int32) error {
	d, ok := obj.(*appsv1.Deployment)
	if !ok {
		return wrongKind(obj)
	}
	d.Spec.Replicas = &n
	return nil
}

func readReplicaSet(obj storage.Object) (int32, int32, string, error) {
	rs, ok := obj.(*appsv1.ReplicaSet)
	if !ok {
		return 0, 0, "", wrongKind(obj)
	}
	sel, err := selectorString(rs.Spec.Selector)
	return replicas(rs.Spec.Replicas), rs.Status.Replicas, sel, err
}

func writeReplicaSet(obj storage.Object, n int32) error {
	rs, ok := obj.(*appsv1.ReplicaSet)
	if !ok {
		return wrongKind(obj)
	}
	rs.Spec.Replicas = &n
	return nil
}

func readStatefulSet(obj storage.Object) (int32, int32, string, error) {
	ss, ok := obj.(*appsv1.StatefulSet)
	if !ok {
		return 0, 0, "", wrongKind(obj)
	}
	sel, err := selectorString(ss.Spec.Selector)
	return replicas(ss.Spec.Replicas), ss.Status.Replicas, sel, err
}

func writeStatefulSet(obj storage.Object, n int32) error {
	ss, ok := obj.(*appsv1.StatefulSet)
	if !ok {
		return wrongKind(obj)
	}
	ss.Spec.Replicas = &n
	return nil
}

func readRC(obj storage.Object) (int32, int32, string, error) {
	rc, ok := obj.(*corev1.ReplicationController)
	if !ok {
		return 0, 0, "", wrongKind(obj)
	}
	return replicas(rc.Spec.Replicas), rc.Status.Replicas, labels.SelectorFromSet(rc.Spec.Selector).String(), nil
}

func writeRC(obj storage.Object, n int32) error {
	rc, ok := obj.(*corev1.ReplicationController)
	if !ok {
		return wrongKind(obj)
	}
	rc.Spec.Replicas = &n
	return nil
}
