package apps

import (
	"context"
	"strconv"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	apimachineryvalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/skiff-dev/skiff/apiserver/registry"
	"github.com/skiff-dev/skiff/apiserver/registry/betadocs"
	"github.com/skiff-dev/skiff/apiserver/registry/core/pod"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

func replicaSetResource(now func() time.Time) *registry.Resource {
	return &registry.Resource{
		GVR:              appsv1.SchemeGroupVersion.WithResource("replicasets"),
		Kind:             "ReplicaSet",
		SingularName:     "replicaset",
		Namespaced:       true,
		ShortNames:       []string{"rs"},
		Categories:       []string{"all"},
		StoragePrefix:    "replicasets",
		New:              func() storage.Object { return &appsv1.ReplicaSet{} },
		NewList:          func() runtime.Object { return &appsv1.ReplicaSetList{} },
		Strategy:         replicaSetStrategy{},
		Status:           replicaSetStatusStrategy{},
		GetAttrs:         replicaSetAttrs,
		SelectableFields: []string{"status.replicas"},
		Table:            replicaSetTable(now),
	}
}

// replicaSetAttrs adds status.replicas, upstream's selectable field.
func replicaSetAttrs(obj storage.Object) (labels.Set, fields.Set, error) {
	f := registry.MetaFields(obj)
	f["status.replicas"] = strconv.Itoa(int(obj.(*appsv1.ReplicaSet).Status.Replicas))
	return labels.Set(obj.GetLabels()), f, nil
}

// replicaSetStrategy: status is the controller's, generation moves with
// the spec, the selector is immutable in apps/v1.
type replicaSetStrategy struct{ registry.WithStatus }

func (replicaSetStrategy) Default(obj storage.Object) {
	rs := obj.(*appsv1.ReplicaSet)
	if rs.Spec.Replicas == nil {
		rs.Spec.Replicas = int32Ptr(1)
	}
	pod.DefaultPodSpec(&rs.Spec.Template.Spec)
}

func (replicaSetStrategy) Validate(_ context.Context, obj storage.Object) field.ErrorList {
	return validateReplicaSetSpec(&obj.(*appsv1.ReplicaSet).Spec, field.NewPath("spec"))
}

func (replicaSetStrategy) ValidateUpdate(_ context.Context, obj, old storage.Object) field.ErrorList {
	rs, o := obj.(*appsv1.ReplicaSet), old.(*appsv1.ReplicaSet)
	errs := validateReplicaSetSpec(&rs.Spec, field.NewPath("spec"))
	return append(errs, apimachineryvalidation.ValidateImmutableField(rs.Spec.Selector, o.Spec.Selector, field.NewPath("spec", "selector"))...)
}

func validateReplicaSetSpec(spec *appsv1.ReplicaSetSpec, fldPath *field.Path) field.ErrorList {
	errs := apimachineryvalidation.ValidateNonnegativeField(int64(int32Value(spec.Replicas)), fldPath.Child("replicas"))
	errs = append(errs, apimachineryvalidation.ValidateNonnegativeField(int64(spec.MinReadySeconds), fldPath.Child("minReadySeconds"))...)
	// Upstream words the empty-selector error "for deployment" here too.
	errs = append(errs, validateRequiredSelector(spec.Selector, "deployment", fldPath.Child("selector"))...)
	return append(errs, validateReplicatedTemplate(&spec.Template, spec.Selector, fldPath.Child("template"), fldPath.Child("selector"))...)
}

type replicaSetStatusStrategy struct{ registry.StatusOnly }

func (replicaSetStatusStrategy) ValidateUpdate(_ context.Context, obj, _ storage.Object) field.ErrorList {
	st := &obj.(*appsv1.ReplicaSet).Status
	return registry.ValidateReplicaCounts(registry.ReplicaCounts{
		Replicas: st.Replicas, FullyLabeledReplicas: st.FullyLabeledReplicas, ReadyReplicas: st.ReadyReplicas,
		AvailableReplicas: st.AvailableReplicas, ObservedGeneration: st.ObservedGeneration,
	}, field.NewPath("status"))
}

var replicaSetColumns = []metav1.TableColumnDefinition{
	registry.NameColumn,
	{Name: "Desired", Type: "integer", Description: betadocs.ReplicaSetSpecReplicas},
	{Name: "Current", Type: "integer", Description: betadocs.ReplicaSetStatusReplicas},
	{Name: "Ready", Type: "integer", Description: betadocs.ReplicaSetStatusReadyReplicas},
	registry.AgeColumn,
	registry.ContainersColumn,
	registry.ImagesColumn,
	{Name: "Selector", Type: "string", Priority: 1, Description: betadocs.ReplicaSetSpecSelector},
}

func replicaSetTable(now func() time.Time) registry.TableFunc {
	return registry.Rows(replicaSetColumns, now, replicaSetRow)
}

func replicaSetRow(obj storage.Object, now time.Time) ([]any, error) {
	rs := obj.(*appsv1.ReplicaSet)
	names, images := registry.ContainerCells(rs.Spec.Template.Spec.Containers)
	return []any{rs.Name, int64(int32Value(rs.Spec.Replicas)), int64(rs.Status.Replicas),
		int64(rs.Status.ReadyReplicas), registry.Age(rs.CreationTimestamp, now),
		names, images, metav1.FormatLabelSelector(rs.Spec.Selector)}, nil
}
