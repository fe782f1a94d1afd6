package subresource

import (
	"fmt"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/utils/ptr"

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
		scalable(appsv1.SchemeGroupVersion.WithResource("deployments"), func(d *appsv1.Deployment) replicaFields {
			return replicaFields{spec: &d.Spec.Replicas, status: d.Status.Replicas, selector: labelSelector(d.Spec.Selector)}
		}),
		scalable(appsv1.SchemeGroupVersion.WithResource("replicasets"), func(rs *appsv1.ReplicaSet) replicaFields {
			return replicaFields{spec: &rs.Spec.Replicas, status: rs.Status.Replicas, selector: labelSelector(rs.Spec.Selector)}
		}),
		scalable(appsv1.SchemeGroupVersion.WithResource("statefulsets"), func(ss *appsv1.StatefulSet) replicaFields {
			return replicaFields{spec: &ss.Spec.Replicas, status: ss.Status.Replicas, selector: labelSelector(ss.Spec.Selector)}
		}),
		scalable(corev1.SchemeGroupVersion.WithResource("replicationcontrollers"), func(rc *corev1.ReplicationController) replicaFields {
			return replicaFields{spec: &rc.Spec.Replicas, status: rc.Status.Replicas, selector: setSelector(rc.Spec.Selector)}
		}),
	}
}

// replicaFields is where one object keeps what its Scale shows: a pointer
// to its spec.replicas field, its status.replicas, and its selector as a
// string.
type replicaFields struct {
	spec     **int32
	status   int32
	selector func() (string, error)
}

// scalable is the Scalable of the kind whose objects are T, with fields
// saying where an object keeps its replicas and selector. Another kind
// of object is refused.
func scalable[T storage.Object](gvr schema.GroupVersionResource, fields func(T) replicaFields) Scalable {
	return Scalable{
		GVR: gvr,
		read: func(obj storage.Object) (int32, int32, string, error) {
			o, ok := obj.(T)
			if !ok {
				return 0, 0, "", wrongKind(obj)
			}
			f := fields(o)
			sel, err := f.selector()
			return ptr.Deref(*f.spec, 0), f.status, sel, err
		},
		write: func(obj storage.Object, n int32) error {
			o, ok := obj.(T)
			if !ok {
				return wrongKind(obj)
			}
			*fields(o).spec = &n
			return nil
		},
	}
}

// labelSelector is the selector of apps/v1 kinds.
func labelSelector(s *metav1.LabelSelector) func() (string, error) {
	return func() (string, error) {
		sel, err := metav1.LabelSelectorAsSelector(s)
		if err != nil {
			return "", err
		}
		return sel.String(), nil
	}
}

// setSelector is the selector of replication controllers, a label set.
func setSelector(s map[string]string) func() (string, error) {
	return func() (string, error) { return labels.SelectorFromSet(s).String(), nil }
}

func wrongKind(obj storage.Object) error { return fmt.Errorf("unexpected object %T", obj) }
