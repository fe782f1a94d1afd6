package fieldmanager

import (
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/structured-merge-diff/v4/fieldpath"
)

// resetKey names one endpoint's rules: a kind and a subresource ("" for
// the object itself).
type resetKey struct {
	kind        schema.GroupKind
	subresource string
}

// resetFields are the fields each endpoint resets to their stored value
// whatever a write says (upstream's strategies' GetResetFields): the main
// resource keeps the status, the status subresource keeps the spec.
// Server-side apply records no ownership of them.
var resetFields = map[resetKey][][]string{}

func init() {
	status := [][]string{{"status"}}
	spec := [][]string{{"spec"}}
	for _, gk := range []schema.GroupKind{
		{Kind: "Pod"}, {Kind: "Service"}, {Kind: "Node"}, {Kind: "Namespace"},
		{Kind: "PersistentVolume"}, {Kind: "PersistentVolumeClaim"},
		{Kind: "ReplicationController"}, {Kind: "ResourceQuota"},
		{Group: "apps", Kind: "Deployment"}, {Group: "apps", Kind: "StatefulSet"},
		{Group: "apps", Kind: "DaemonSet"}, {Group: "apps", Kind: "ReplicaSet"},
		{Group: "batch", Kind: "Job"}, {Group: "batch", Kind: "CronJob"},
		{Group: "autoscaling", Kind: "HorizontalPodAutoscaler"},
		{Group: "policy", Kind: "PodDisruptionBudget"},
		{Group: "networking.k8s.io", Kind: "Ingress"},
		{Group: "storage.k8s.io", Kind: "VolumeAttachment"},
		{Group: "admissionregistration.k8s.io", Kind: "ValidatingAdmissionPolicy"},
	} {
		resetFields[resetKey{gk, ""}] = status
		resetFields[resetKey{gk, "status"}] = spec
	}
	resetFields[resetKey{schema.GroupKind{Kind: "Namespace"}, "finalize"}] = status
	resetFields[resetKey{schema.GroupKind{Kind: "Pod"}, "status"}] = [][]string{
		{"spec"}, {"metadata", "deletionTimestamp"}, {"metadata", "ownerReferences"},
	}
	resetFields[resetKey{schema.GroupKind{Group: "apps", Kind: "Deployment"}, "status"}] = [][]string{
		{"spec"}, {"metadata", "labels"},
	}
	for _, gk := range []schema.GroupKind{
		{Group: "storage.k8s.io", Kind: "VolumeAttachment"},
		{Group: "admissionregistration.k8s.io", Kind: "ValidatingAdmissionPolicy"},
	} {
		resetFields[resetKey{gk, "status"}] = [][]string{{"metadata"}, {"spec"}}
	}
}

// resetFieldSet is the field set an endpoint of gvk resets, in the form
// the field manager takes; nil when it resets nothing.
func resetFieldSet(gvk schema.GroupVersionKind, subresource string) (map[fieldpath.APIVersion]*fieldpath.Set, error) {
	paths, ok := resetFields[resetKey{gvk.GroupKind(), subresource}]
	if !ok {
		return nil, nil
	}
	set := fieldpath.NewSet()
	for _, p := range paths {
		parts := make([]any, len(p))
		for i, s := range p {
			parts[i] = s
		}
		path, err := fieldpath.MakePath(parts...)
		if err != nil {
			return nil, err
		}
		set.Insert(path)
	}
	return map[fieldpath.APIVersion]*fieldpath.Set{fieldpath.APIVersion(gvk.GroupVersion().String()): set}, nil
}
