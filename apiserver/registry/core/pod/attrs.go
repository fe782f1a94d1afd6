package pod

import (
	"fmt"
	"strconv"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

// selectableFields are the field selectors pods accept beyond
// metadata.name and metadata.namespace (upstream's field label
// conversion). status.podIPs is accepted but, as upstream, not among the
// pod's fields: it only matches the empty value. spec.host is old clients'
// name for spec.nodeName.
var selectableFields = []string{
	"spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
	"spec.hostNetwork", "status.phase", "status.podIP", "status.podIPs", "status.nominatedNodeName",
	"spec.host",
}

// GetAttrs returns a pod's labels and selectable fields.
func GetAttrs(obj storage.Object) (labels.Set, fields.Set, error) {
	pod, ok := obj.(*corev1.Pod)
	if !ok {
		return nil, nil, fmt.Errorf("not a pod: %T", obj)
	}
	f := registry.MetaFields(obj)
	f["spec.nodeName"] = pod.Spec.NodeName
	f["spec.host"] = pod.Spec.NodeName
	f["spec.restartPolicy"] = string(pod.Spec.RestartPolicy)
	f["spec.schedulerName"] = pod.Spec.SchedulerName
	f["spec.serviceAccountName"] = pod.Spec.ServiceAccountName
	f["spec.hostNetwork"] = strconv.FormatBool(pod.Spec.HostNetwork)
	f["status.phase"] = string(pod.Status.Phase)
	podIP := ""
	if len(pod.Status.PodIPs) > 0 {
		podIP = pod.Status.PodIPs[0].IP
	}
	f["status.podIP"] = podIP
	f["status.nominatedNodeName"] = pod.Status.NominatedNodeName
	return labels.Set(pod.Labels), f, nil
}
